/**
 * Delivery through Resend: one request per attempt, with a timeout, and the
 * notification id as the idempotency key, so that an attempt repeated after
 * a timeout or a crash (the provider may have accepted the first) sends
 * nothing twice. Resend answers a key it has seen in the last 24 hours with
 * the first email's id; a key still in flight with 409
 * concurrent_idempotent_requests; a key seen with another payload with 409
 * invalid_idempotent_request, which means the first was accepted.
 */
import { Resend } from "resend";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer.js";

export interface ResendOptions {
  apiKey: string;
  baseUrl: string | undefined;
  /** No call to the provider waits longer than this. */
  timeoutMs: number;
  /** Requests per second this isolate makes at most (the provider's rate limit). */
  perSecond: number;
}

/** When this isolate may make its next request to the provider. */
let nextSlot = 0;

/**
 * Spaces the requests so that no second holds more than `perSecond` of
 * them: at the 08:00 peak the sweep waits its turn instead of collecting
 * 429s (the wait is not part of the call's timeout).
 */
export async function pace(perSecond: number, now = Date.now()): Promise<number> {
  const slot = Math.max(now, nextSlot);
  nextSlot = slot + 1000 / perSecond;
  if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  return slot - now;
}

/** A refusal that names the message itself (a bad address, a malformed request): trying again cannot help. */
const PERMANENT = new Set([400, 404, 405, 413, 422]);

export function classify(status: number | null, name: string, retryAfter: string | undefined): SendResult {
  if (status === 409 && name === "invalid_idempotent_request") return { ok: true, providerId: null };
  const error = status === null ? "network" : `${status} ${name}`;
  const seconds = Number(retryAfter ?? NaN);
  const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
  // Everything else is the provider or its configuration (rate limits, outages, a revoked key,
  // a key still in flight): worth trying again, and the administrators hear of it if it lasts.
  return { ok: false, error, retryable: status === null || !PERMANENT.has(status), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

export function resendMailer(o: ResendOptions): Mailer {
  const client = new Resend(o.apiKey, o.baseUrl === undefined ? undefined : { baseUrl: o.baseUrl });
  return {
    name: "resend",
    async send(e: OutgoingEmail): Promise<SendResult> {
      await pace(o.perSecond);
      const signal = AbortSignal.timeout(o.timeoutMs);
      try {
        const { data, error, headers } = await client.emails.send(
          { from: e.from, to: e.to, subject: e.subject, text: e.text, html: e.html, ...(e.replyTo === undefined ? {} : { reply_to: e.replyTo }) },
          { idempotencyKey: e.idempotencyKey, signal },
        );
        if (error === null && data !== null) return { ok: true, providerId: data.id };
        if (signal.aborted) return { ok: false, error: "timeout", retryable: true };
        return classify((error as { statusCode?: number | null }).statusCode ?? null, error?.name ?? "error", headers?.["retry-after"]);
      } catch {
        return { ok: false, error: signal.aborted ? "timeout" : "network", retryable: true };
      }
    },
  };
}
