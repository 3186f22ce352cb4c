/**
 * Delivers one outbound event to one subscription. The timeline's
 * workflow, the cron sweep and an administrator's "riprova" all call this,
 * as often as they like:
 * - the row is claimed first, and only while the subscription has fewer
 *   than its parallelism in flight, so an office's server is never flooded;
 * - each attempt is signed afresh (Standard Webhooks: webhook-id is the
 *   event's, the same on every attempt; the timestamp is the attempt's, so
 *   a receiver's five-minute tolerance holds on a retry hours later);
 * - a failure leaves the row due again with backoff for a day, then in the
 *   dead-letter queue (status dead), replayable; never dropped;
 * - an endpoint failing for an hour is flagged to the administrators, once
 *   per run of failures.
 */
import type { Db } from "../db/client.js";
import { type Directory, type Subscription, directory } from "../db/directory.js";
import { adminEmails, commitHeld } from "../db/delivery.js";
import {
  type HeldDelivery, attemptInsert, claimDelivery, deliveryAttemptAt, eventBody, flagSubscription, getDelivery, settleDelivery, subscriptionHealth, unflagSubscription,
} from "../db/outbound.js";
import { sign } from "../auth/standard-webhooks.js";
import { composeEndpointFailing } from "../notify/compose.js";
import type { Mailer } from "../notify/mailer.js";
import { type RetryPolicy, afterFailure } from "../notify/retry.js";
import { type QStashConfig, publish } from "./qstash.js";

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
}

/**
 * busy: the subscription already has its parallelism in flight; the row stays due.
 * published: accepted by QStash, which delivers it; its callbacks record the outcome.
 */
export type OutboundOutcome = "delivered" | "published" | "retrying" | "dead" | "busy" | "not-due" | "already-done";

export const USER_AGENT = "Termini-Webhooks/1 (+https://www.standardwebhooks.com)";

/** The three Standard Webhooks headers: one signature per valid secret (two during a rotation). */
export async function signedHeaders(eventId: string, secrets: readonly string[], at: number, body: string): Promise<Record<string, string>> {
  const ts = Math.floor(at / 1000);
  const signatures = await Promise.all(secrets.map((s) => sign(s, eventId, ts, body)));
  return { "webhook-id": eventId, "webhook-timestamp": String(ts), "webhook-signature": signatures.join(" ") };
}

interface Answer {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
  retryAfterMs?: number;
}

/** One POST, bounded by the timeout; the answer's body is never read (it may hold anything). */
export async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number, clock: () => number): Promise<Answer> {
  const started = clock();
  try {
    const res = await fetch(url, {
      method: "POST", body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs),
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...headers },
    });
    await res.body?.cancel();
    const retryAfter = Number(res.headers.get("retry-after"));
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, durationMs: clock() - started,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (e) {
    const name = e instanceof Error ? e.name : "Error";
    return { ok: false, status: null, error: name === "TimeoutError" || name === "AbortError" ? "nessuna risposta entro il tempo massimo" : "connessione non riuscita", durationMs: clock() - started };
  }
}

export async function deliverOutbound(ctx: OutboundContext, id: string, asOf: number): Promise<OutboundOutcome> {
  const { db } = ctx;
  const row = await getDelivery(db, id);
  if (row === undefined) throw new Error(`no outbound delivery ${id}`);
  if (row.status !== "pending" && row.status !== "sending") return "already-done";
  if (deliveryAttemptAt(row, ctx.staleMs) > asOf) return "not-due";
  const dir = await directory(db);
  const sub = dir.subscription(row.subscriptionId);
  // Through QStash, publishing is quick and QStash's flow control keeps the parallelism at the endpoint.
  const inFlight = ctx.qstash !== null ? Number.MAX_SAFE_INTEGER : (sub?.parallelism ?? 1);
  const held = await claimDelivery(db, id, Math.max(ctx.now(), asOf), ctx.staleMs, inFlight);
  if (held === null) return (await getDelivery(db, id))?.status === "pending" ? "busy" : "already-done";
  const at = ctx.now();
  const body = await eventBody(db, held.eventId);
  if (sub === undefined || body === undefined) {
    const error = sub === undefined ? "abbonamento disattivato o eliminato" : "evento non trovato";
    await commitHeld(db, [attemptInsert(db, id, at, { via: "direct", status: null, durationMs: null, error }), settleDelivery(db, held, { status: "dead", lastStatus: null, lastError: error })]);
    return "dead";
  }
  if (ctx.qstash !== null) return publishVia(ctx, ctx.qstash, sub, held, body);
  // Signed at the wall clock's time: the receiver compares it with its own (the plan's instant may run ahead of it in a test).
  const headers = await signedHeaders(held.eventId, dir.signingSecrets(sub.id, at), Date.now(), body);
  const answer = await post(sub.url, headers, body, ctx.timeoutMs, ctx.now);
  return record(ctx, dir, sub, held, answer);
}

/** Hands the delivery to QStash; a publish that fails leaves it due again, like a failed attempt. */
async function publishVia(ctx: OutboundContext, cfg: QStashConfig, sub: Subscription, held: HeldDelivery, body: string): Promise<OutboundOutcome> {
  const r = await publish(cfg, { deliveryId: held.id, deduplicationId: held.id, body, flow: { key: sub.id, parallelism: sub.parallelism, rate: sub.ratePerSecond } });
  const at = ctx.now();
  if (r.ok) {
    const took = await commitHeld(ctx.db, [settleDelivery(ctx.db, held, { status: "published", messageId: r.messageId, firstFailedAt: held.firstFailedAt, lastStatus: null, lastError: null, uncount: true })]);
    return took ? "published" : "already-done";
  }
  const firstFailedAt = held.firstFailedAt ?? at;
  const next = afterFailure(ctx.retry, { error: r.error, retryable: true }, held.attempts, firstFailedAt, at);
  const took = await commitHeld(ctx.db, [
    attemptInsert(ctx.db, held.id, at, { via: "qstash", status: r.status, durationMs: null, error: r.error }),
    settleDelivery(ctx.db, held, { status: next.retryAt === null ? "dead" : "pending", dueAt: next.retryAt ?? undefined, firstFailedAt, lastStatus: null, lastError: r.error }),
  ]);
  console.error(JSON.stringify({ level: "warn", action: "webhook.publish-failed", deliveryId: held.id, error: r.error, retryAt: next.retryAt }));
  if (!took) return "already-done";
  return next.retryAt === null ? "dead" : "retrying";
}

async function record(ctx: OutboundContext, dir: Directory, sub: Subscription, held: HeldDelivery, a: Answer): Promise<OutboundOutcome> {
  const { db } = ctx;
  const at = ctx.now();
  const attempt = attemptInsert(db, held.id, at, { via: "direct", status: a.status, durationMs: a.durationMs, error: a.error });
  if (a.ok) {
    const took = await commitHeld(db, [attempt, subscriptionHealth(db, sub.id, true, at), settleDelivery(db, held, { status: "delivered", lastStatus: a.status, lastError: null, deliveredAt: at })]);
    return took ? "delivered" : "already-done";
  }
  const firstFailedAt = held.firstFailedAt ?? at;
  const next = afterFailure(ctx.retry, { error: a.error ?? "", retryable: true, retryAfterMs: a.retryAfterMs }, held.attempts, firstFailedAt, at);
  const took = await commitHeld(db, [
    attempt, subscriptionHealth(db, sub.id, false, at),
    settleDelivery(db, held, {
      status: next.retryAt === null ? "dead" : "pending", dueAt: next.retryAt ?? undefined, firstFailedAt, lastStatus: a.status, lastError: a.error,
    }),
  ]);
  if (!took) return "already-done";
  console.error(JSON.stringify({ level: "warn", action: "webhook.delivery-failed", deliveryId: held.id, status: a.status, attempts: held.attempts, retryAt: next.retryAt }));
  if (next.alert) await flag(ctx, dir, sub, a.error ?? "", at);
  return next.retryAt === null ? "dead" : "retrying";
}

/** Tells the administrators, once per run of failures, that an endpoint keeps failing. */
export async function flag(ctx: OutboundContext, dir: Directory, sub: Subscription, lastError: string, at: number): Promise<void> {
  const flagged = await flagSubscription(ctx.db, sub.id, at);
  if (flagged === null) return;
  const to = await adminEmails(ctx.db);
  if (to.length === 0) return;
  const content = composeEndpointFailing({
    office: dir.get(sub.officeId)?.name ?? sub.officeId, origin: new URL(sub.url).origin, since: flagged.failingSince, lastError,
    link: `${ctx.appBaseUrl}/admin/webhook/${encodeURIComponent(sub.id)}`,
  });
  // The same key for the whole run of failures: a repeated flag sends nothing twice.
  const r = await ctx.mailer.send({ idempotencyKey: `webhook-failing.${sub.id}.${flagged.failingSince}`, from: ctx.from, to, ...content });
  if (r.ok) return;
  // Not told after all: the next failure flags it again.
  await unflagSubscription(ctx.db, sub.id);
  console.error(JSON.stringify({ level: "warn", action: "webhook.flag-mail-failed", subscriptionId: sub.id, error: r.error }));
}
