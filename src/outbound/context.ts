import { database } from "../db/client.js";
import type { Bindings } from "../env.js";
import { mailerFor } from "../notify/context.js";
import { retryPolicy } from "../notify/retry.js";
import type { OutboundContext } from "./deliver.js";
import { qstashConfig } from "./qstash.js";

/** No endpoint is waited for longer than this by default. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Defaults: first retry after 30 s, doubling up to 4 hours, for a day; flagged after an hour of failures. */
const DEFAULTS = { base: "30000", max: "14400000", window: "86400000", alertAfter: "3600000" };

/**
 * What outbound delivery needs, with a clock that reads `asOf` now and runs
 * on from there (as the email delivery's context does).
 */
export function outboundContext(env: Bindings, asOf: number = Date.now()): OutboundContext {
  const db = database(env.DB);
  const started = Date.now();
  const now = () => asOf + (Date.now() - started);
  const timeoutMs = Number(env.WEBHOOK_TIMEOUT_MS) || WEBHOOK_TIMEOUT_MS;
  return {
    db, mailer: mailerFor(env, db, now), from: env.EMAIL_FROM, appBaseUrl: env.APP_BASE_URL, now, timeoutMs, qstash: qstashConfig(env, timeoutMs),
    // A live sender has given up on its call long before.
    staleMs: 8 * timeoutMs,
    retry: retryPolicy({
      base: env.WEBHOOK_RETRY_BASE_MS || DEFAULTS.base, max: env.WEBHOOK_RETRY_MAX_MS || DEFAULTS.max,
      window: env.WEBHOOK_RETRY_WINDOW_MS || DEFAULTS.window, alertAfter: env.WEBHOOK_ALERT_AFTER_MS || DEFAULTS.alertAfter,
    }),
  };
}
