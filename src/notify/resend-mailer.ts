/**
 * Delivery through Resend: one request per attempt, with a timeout, and the
 * notification id as the idempotency key, so that an attempt repeated after
 * a timeout or a crash (the provider may have accepted the first) sends
 * nothing twice. Resend answers a key it has seen in the last 24 hours with
 * the first email's id; a key still in flight with 409
 * concurrent_idempotent_requests; a key seen with another payload with 409
 * invalid_idempotent_request, which means the first was accepted.
 *
 * The request is Resend's documented HTTP API (POST /emails, a bearer key, an Idempotency-Key
 * header), made with fetch: the SDK wrapped this one call in 30 KiB of client for every other
 * Resend product, which the Worker's bundle budget cannot carry.
 */
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
const isolateSlot = { next: 0 };

/**
 * Spaces the requests so that no second holds more than `perSecond` of
 * them: at the 08:00 peak the sweep waits its turn instead of collecting
 * 429s (the wait is not part of the call's timeout). `slots`: the
 * isolate's own, or a test's (which must not move the isolate's).
 */
export async function pace(perSecond: number, now = Date.now(), slots = isolateSlot): Promise<number> {
  const slot = Math.max(now, slots.next);
  slots.next = slot + 1000 / perSecond;
  if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  return slot - now;
}

/** A refusal that names the message itself (a bad address, a malformed request): trying again cannot help. */
const PERMANENT = new Set([400, 404, 405, 413, 422]);

function classify(status: number | null, name: string, retryAfter: string | undefined): SendResult {
  if (status === 409 && name === "invalid_idempotent_request") return { ok: true, providerId: null };
  const error = status === null ? "network" : `${status} ${name}`;
  const seconds = Number(retryAfter ?? NaN);
  const retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
  // Everything else is the provider or its configuration (rate limits, outages, a revoked key,
  // a key still in flight): worth trying again, and the administrators hear of it if it lasts.
  return { ok: false, error, retryable: status === null || !PERMANENT.has(status), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

export function resendMailer(o: ResendOptions): Mailer {
  const url = `${(o.baseUrl ?? "https://api.resend.com").replace(/\/+$/, "")}/emails`;
  return {
    name: "resend",
    async send(e: OutgoingEmail): Promise<SendResult> {
      await pace(o.perSecond);
      const signal = AbortSignal.timeout(o.timeoutMs);
      try {
        const res = await fetch(url, {
          method: "POST", signal,
          headers: { Authorization: `Bearer ${o.apiKey}`, "Content-Type": "application/json", "Idempotency-Key": e.idempotencyKey, "User-Agent": "Termini" },
          body: JSON.stringify({ from: e.from, to: e.to, subject: e.subject, text: e.text, html: e.html, ...(e.replyTo === undefined ? {} : { reply_to: e.replyTo }) }),
        });
        // An answer that is not JSON (a proxy's error page) is still an answer with a status.
        const body = (await res.json().catch(() => null)) as { id?: unknown; name?: unknown } | null;
        if (res.ok && typeof body?.id === "string") return { ok: true, providerId: body.id };
        return classify(res.status, typeof body?.name === "string" ? body.name : "application_error", res.headers.get("retry-after") ?? undefined);
      } catch {
        return { ok: false, error: signal.aborted ? "timeout" : "network", retryable: true };
      }
    },
  };
}
