/**
 * What happens after a delivery fails. Pure: the policy and the clock come in.
 *
 * A failure never drops the message: a transient one (the provider down,
 * rate-limited, timing out) is tried again with exponential backoff, for
 * hours; a permanent one (the provider refuses the message itself) stops at
 * once. Either way the office's fallback address and the administrators are
 * told once the message has been failing for `alertAfterMs`, or at once
 * when it cannot be delivered at all.
 *
 * The window is shorter than the provider's idempotency window (Resend
 * keeps a key 24 hours): every retry of a message that may have been
 * accepted reuses its key while the provider still remembers it.
 */
export interface RetryPolicy {
  /** The first retry's delay; it doubles on each failure. */
  baseMs: number;
  /** The longest delay between two attempts. */
  maxMs: number;
  /** No attempt later than this after the first failure. */
  windowMs: number;
  /** Failing this long, the fallback address and the administrators are told. */
  alertAfterMs: number;
}

export interface SendFailure {
  error: string;
  /** Worth trying again later (the provider or the network), not a refusal of the message itself. */
  retryable: boolean;
  /** The provider asked for at least this long before the next request. */
  retryAfterMs?: number;
}

export interface AfterFailure {
  /** The next attempt; null: no more attempts. */
  retryAt: number | null;
  /** Tell the fallback address and the administrators now (once per message). */
  alert: boolean;
}

/** `failures` counts this one; `firstFailedAt` is when the first failure happened (this one's `now` if none before). */
export function afterFailure(p: RetryPolicy, f: SendFailure, failures: number, firstFailedAt: number, now: number): AfterFailure {
  if (!f.retryable) return { retryAt: null, alert: true };
  const backoff = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  const delay = Math.min(p.maxMs, Math.max(backoff, f.retryAfterMs ?? 0));
  const retryAt = now + delay;
  if (retryAt - firstFailedAt > p.windowMs) return { retryAt: null, alert: true };
  return { retryAt, alert: now - firstFailedAt >= p.alertAfterMs };
}
