import { type Db, database } from "../db/client.js";
import type { Bindings } from "../env.js";
import type { DeliveryContext } from "./deliver.js";
import type { Mailer } from "./mailer.js";
import { outboxMailer } from "./outbox-mailer.js";
import { resendMailer } from "./resend-mailer.js";
import { config } from "../config.js";

/**
 * A claim older than eight provider timeouts belongs to a sender that died:
 * a live one has given up on its call long before, so a takeover never
 * races a send still in progress (2 minutes with the default timeout).
 */
export function staleClaimMs(env: Bindings): number {
  return 8 * config(env).MAIL_TIMEOUT_MS;
}

export function mailerFor(env: Bindings, db = database(env.DB), now: () => number = Date.now): Mailer {
  const key = env.RESEND_API_KEY;
  if (key === undefined || key === "") return outboxMailer(db, now);
  const c = config(env);
  return resendMailer({ apiKey: key, baseUrl: c.RESEND_BASE_URL, timeoutMs: c.MAIL_TIMEOUT_MS, perSecond: c.MAIL_RATE_PER_SECOND });
}

/**
 * What delivery needs, with a clock that reads `asOf` now and runs on from
 * there: claims, retries and stale claims are all timed from the instant
 * the caller delivers for (the cron's scheduled time, the workflow's plan).
 * `db`: the database of the district whose notifications are delivered.
 */
export function deliveryContext(env: Bindings, actor: string, asOf: number = Date.now(), db: Db = database(env.DB)): DeliveryContext {
  const started = Date.now();
  const now = () => asOf + (Date.now() - started);
  const c = config(env);
  return {
    db, mailer: mailerFor(env, db, now), from: env.EMAIL_FROM, appBaseUrl: env.APP_BASE_URL, actor, now,
    staleMs: staleClaimMs(env), administration: c.ADMINISTRATION_NAME,
    retry: { baseMs: c.MAIL_RETRY_BASE_MS, maxMs: c.MAIL_RETRY_MAX_MS, windowMs: c.MAIL_RETRY_WINDOW_MS, alertAfterMs: c.MAIL_ALERT_AFTER_MS },
  };
}
