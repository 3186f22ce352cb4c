import { type Db, database } from "../db/client.js";
import { isLocal } from "../deployment.js";
import type { Bindings } from "../env.js";
import { mailerFor } from "../notify/context.js";
import type { Mailer } from "../notify/mailer.js";
import type { RetryPolicy } from "../notify/retry.js";
import { config } from "../config.js";
import { type QStashConfig, qstashConfig } from "./qstash.js";

/**
 * busy: the subscription already has its parallelism in flight; the row stays due.
 * published: accepted by QStash, which delivers it; its callbacks record the outcome.
 */
export type OutboundOutcome = "delivered" | "published" | "retrying" | "dead" | "busy" | "not-due" | "already-done";

export interface OutboundContext {
  db: Db;
  mailer: Mailer;
  from: string;
  appBaseUrl: string;
  now: () => number;
  retry: RetryPolicy;
  /** The longest wait for an endpoint's answer. */
  timeoutMs: number;
  /** When a claim is taken to belong to a dead sender. */
  staleMs: number;
  /** With QStash configured, deliveries are published there instead of posted directly. */
  qstash: QStashConfig | null;
  /** How long after publishing Termini asks QStash about a message whose outcome it has not heard of. */
  checkAfterMs: number;
  /** A local deployment: endpoints on this machine are allowed (see endpoint.ts). */
  local: boolean;
  /** A subscription failing this long is disabled (settle.ts). */
  disableAfterMs: number;
}

/**
 * What outbound delivery needs, with a clock that reads `asOf` now and runs
 * on from there (as the email delivery's context does), on the district's database `db`.
 */
export function outboundContext(env: Bindings, asOf: number = Date.now(), db: Db = database(env.DB)): OutboundContext {
  const started = Date.now();
  const now = () => asOf + (Date.now() - started);
  const c = config(env);
  const timeoutMs = c.WEBHOOK_TIMEOUT_MS;
  return {
    db, mailer: mailerFor(env, db, now), from: env.EMAIL_FROM, appBaseUrl: env.APP_BASE_URL, now, timeoutMs, qstash: qstashConfig(env, timeoutMs, db.district),
    // A live sender has given up on its call long before.
    staleMs: 8 * timeoutMs,
    checkAfterMs: c.QSTASH_CHECK_AFTER_MS,
    local: isLocal(env),
    disableAfterMs: c.WEBHOOK_DISABLE_AFTER_MS,
    retry: { baseMs: c.WEBHOOK_RETRY_BASE_MS, maxMs: c.WEBHOOK_RETRY_MAX_MS, windowMs: c.WEBHOOK_RETRY_WINDOW_MS, alertAfterMs: c.WEBHOOK_ALERT_AFTER_MS },
  };
}
