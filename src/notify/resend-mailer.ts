/**
 * Delivery through Resend. The notification id is the idempotency key, so
 * a retried workflow step cannot send twice. Rate limits (429), server
 * errors and network failures are retried with exponential backoff; any
 * other refusal is permanent at once.
 */
import { Resend } from "resend";
import type { Mailer, OutgoingEmail, SendResult } from "./mailer.js";

export interface ResendOptions {
  apiKey: string;
  baseUrl: string | undefined;
  /** First backoff delay; doubles on each retry. */
  baseDelayMs: number;
  maxAttempts: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function isRetryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

export function resendMailer(o: ResendOptions): Mailer {
  const client = new Resend(o.apiKey, o.baseUrl === undefined ? undefined : { baseUrl: o.baseUrl });
  const sleep = o.sleep ?? defaultSleep;
  return {
    name: "resend",
    async send(e: OutgoingEmail): Promise<SendResult> {
      let last = "";
      for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
        const { data, error, headers } = await client.emails.send(
          { from: e.from, to: e.to, subject: e.subject, text: e.text, html: e.html },
          { idempotencyKey: e.idempotencyKey },
        );
        if (error === null && data !== null) return { ok: true, providerId: data.id, attempts: attempt };
        const status = (error as { statusCode?: number | null }).statusCode ?? null;
        last = `${status ?? "network"} ${error?.name ?? "error"}`;
        if (!isRetryable(status) || attempt === o.maxAttempts) return { ok: false, error: last, attempts: attempt };
        const retryAfter = Number(headers?.["retry-after"] ?? NaN);
        const backoff = o.baseDelayMs * 2 ** (attempt - 1);
        await sleep(Number.isFinite(retryAfter) ? Math.min(retryAfter * 1000, 30_000) : backoff);
      }
      return { ok: false, error: last, attempts: o.maxAttempts };
    },
  };
}
