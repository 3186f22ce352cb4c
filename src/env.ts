/** The Worker's bindings: what `wrangler types` generates, plus optional secrets. */
export type Bindings = Env & {
  /** With it, email goes through Resend; without it, to the local outbox. */
  RESEND_API_KEY?: string;
  /** Resend's API base URL; tests point it at a local fake. */
  RESEND_BASE_URL?: string;
  /** Keys the HMAC that stands for a client address in the sign-in rate limit (32+ characters). */
  RATE_LIMIT_KEY?: string;
};
