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
import { type Directory, type Subscription, directory } from "../db/directory.js";
import { commitHeld } from "../db/delivery.js";
import { type HeldDelivery, attemptInsert, claimDelivery, disclosureInsert, deliveryAttemptAt, getDelivery, settleDelivery, subscriptionHealth } from "../db/outbound.js";
import { OUTBOUND_REASON } from "../domain/access-reason.js";
import { sign } from "../auth/standard-webhooks.js";
import { afterFailure } from "../notify/retry.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";
import { publishOne } from "./publish.js";
import { endpointProblem } from "./endpoint.js";
import { abandon, flag } from "./settle.js";

export type { OutboundOutcome } from "./context.js";

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
  // Through QStash, publishing is quick and QStash's flow control keeps the parallelism at the endpoint.
  const [dir, held] = await Promise.all([directory(db), claimDelivery(db, id, Math.max(ctx.now(), asOf), ctx.staleMs, ctx.qstash !== null)]);
  if (held === null) return unclaimed(ctx, id, asOf);
  const sub = dir.subscription(held.subscriptionId);
  if (sub === undefined || held.body === null) return abandon(ctx, held);
  // Checked again as it is used: an address stored before a rule existed never receives anything.
  const refused = endpointProblem(sub.url, ctx.local);
  if (refused !== null) return abandon(ctx, held, `endpoint non consentito: ${refused}`);
  if (ctx.qstash !== null) return publishOne(ctx, ctx.qstash, sub, held, held.body);
  const at = ctx.now();
  // Signed at the wall clock's time: the receiver compares it with its own (the plan's instant may run ahead of it in a test).
  const headers = await signedHeaders(held.eventId, dir.signingSecrets(sub.id, at), Date.now(), held.body);
  const answer = await post(sub.url, headers, held.body, ctx.timeoutMs, ctx.now);
  return record(ctx, dir, sub, held, answer);
}

/** Why a row was not taken: done already, not yet due, or its subscription at its parallelism. */
async function unclaimed(ctx: OutboundContext, id: string, asOf: number): Promise<OutboundOutcome> {
  const row = await getDelivery(ctx.db, id);
  if (row === undefined) throw new Error(`no outbound delivery ${id}`);
  if (row.status !== "pending" && row.status !== "sending") return "already-done";
  return deliveryAttemptAt(row, ctx.staleMs) > Math.max(ctx.now(), asOf) ? "not-due" : "busy";
}

async function record(ctx: OutboundContext, dir: Directory, sub: Subscription, held: HeldDelivery, a: Answer): Promise<OutboundOutcome> {
  const { db } = ctx;
  const at = ctx.now();
  const attempt = attemptInsert(db, held.id, at, { via: "direct", status: a.status, durationMs: a.durationMs, error: a.error });
  if (a.ok) {
    const took = await commitHeld(db, [
      attempt, subscriptionHealth(db, sub.id, true, at), disclosureInsert(db, held, sub, OUTBOUND_REASON, at, held),
      settleDelivery(db, held, { status: "delivered", lastStatus: a.status, lastError: null, deliveredAt: at }),
    ]);
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
