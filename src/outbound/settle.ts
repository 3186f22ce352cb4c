/**
 * Endings shared by every delivery path: a delivery that can no longer be
 * made, and what a run of failures leads to — the administrators and the
 * subscribing office told once the endpoint has failed for an hour
 * (WEBHOOK_ALERT_AFTER_MS), and the subscription disabled once it has failed
 * for five days (WEBHOOK_DISABLE_AFTER_MS), with a second notice. It resumes
 * only by hand; its events meanwhile stay in its log.
 */
import { and, eq, isNull } from "drizzle-orm";
import { database } from "../db/client.js";
import type { Directory, Subscription } from "../db/directory.js";
import { adminEmails, commitHeld } from "../db/delivery.js";
import { type HeldDelivery, SKIPPED_ERROR, attemptInsert, flagSubscription, settleDelivery, unflagSubscription } from "../db/outbound.js";
import { subscriptions } from "../db/schema.js";
import { disableFailing } from "../domain/subscriptions/subscriptions.js";
import { spanInItalian } from "../lib/italian.js";
import { composeEndpointFailing } from "../notify/compose.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";

/**
 * A delivery that can no longer be made (its subscription deleted, its event gone, its endpoint
 * one Termini must not post to): dead, with the reason logged, and nothing sent.
 */
export async function abandon(ctx: OutboundContext, held: HeldDelivery, why?: string): Promise<OutboundOutcome> {
  const error = why ?? (held.body === null ? "evento non trovato" : "abbonamento eliminato");
  await commitHeld(ctx.db, [
    attemptInsert(ctx.db, held.id, ctx.now(), { via: "direct", status: null, durationMs: null, error }),
    settleDelivery(ctx.db, held, { status: "dead", lastStatus: null, lastError: error }),
  ]);
  return "dead";
}

/** Due while its subscription is off: not sent, kept in the log as skipped (redeliverable once it is on again). */
export async function skip(ctx: OutboundContext, held: HeldDelivery): Promise<OutboundOutcome> {
  // Nothing was attempted: the claim's count is taken back.
  await commitHeld(ctx.db, [settleDelivery(ctx.db, held, { status: "skipped", lastStatus: null, lastError: SKIPPED_ERROR, uncount: true })]);
  return "dead";
}

/** After a failed attempt (its health already recorded): a notice, or the subscription disabled, as long as it has been failing says. */
export async function failed(ctx: OutboundContext, dir: Directory, sub: Subscription, lastError: string, at: number): Promise<void> {
  const row = await ctx.db.select({ since: subscriptions.failingSince }).from(subscriptions).where(eq(subscriptions.id, sub.id)).get();
  const since = row?.since ?? null;
  if (since === null) return;
  if (at - since >= ctx.disableAfterMs) await disable(ctx, dir, sub, lastError, since, at);
  else if (at - since >= ctx.retry.alertAfterMs) await flag(ctx, dir, sub, lastError, at);
}

/** Who is told about an endpoint: the administrators and the office that subscribed. */
async function recipients(ctx: OutboundContext, dir: Directory, sub: Subscription): Promise<string[]> {
  // Users live in the central database: a district's has no administrators of its own.
  const users = ctx.db.central === undefined ? ctx.db : database(ctx.db.central);
  return [...new Set([...(await adminEmails(users)), ...(dir.get(sub.officeId)?.emails ?? [])])];
}

const notice = (ctx: OutboundContext, dir: Directory, sub: Subscription, since: number, lastError: string) => ({
  office: dir.get(sub.officeId)?.name ?? sub.officeId, origin: new URL(sub.url).origin, since, lastError,
  link: `${ctx.appBaseUrl}/webhook/${encodeURIComponent(sub.id)}`, disableAfter: spanInItalian(ctx.disableAfterMs), retryWindow: spanInItalian(ctx.retry.windowMs),
});

/** Tells the administrators and the office, once per run of failures, that an endpoint keeps failing. */
async function flag(ctx: OutboundContext, dir: Directory, sub: Subscription, lastError: string, at: number): Promise<void> {
  const flagged = await flagSubscription(ctx.db, sub.id, at);
  if (flagged === null) return;
  const to = await recipients(ctx, dir, sub);
  if (to.length === 0) return;
  // The same key for the whole run of failures: a repeated flag sends nothing twice.
  const r = await ctx.mailer.send({ idempotencyKey: `webhook-failing.${sub.id}.${flagged.failingSince}`, from: ctx.from, to, ...composeEndpointFailing(notice(ctx, dir, sub, flagged.failingSince, lastError)) });
  if (r.ok) return;
  // Not told after all: the next failure flags it again.
  await unflagSubscription(ctx.db, sub.id);
  console.error(JSON.stringify({ level: "warn", action: "webhook.flag-mail-failed", subscriptionId: sub.id, error: r.error }));
}

/**
 * Off, in the central directory (the source every district copies; the sweep copies it) and in this
 * district's copy at once, so nothing more is sent from here. Told once: the call that disabled it.
 */
async function disable(ctx: OutboundContext, dir: Directory, sub: Subscription, lastError: string, since: number, at: number): Promise<void> {
  const central = ctx.db.central ?? ctx.db.$client;
  const first = await disableFailing(central, sub.id, since, at);
  // This district's copy at once, whoever disabled it centrally: nothing more is sent from here.
  if (central !== ctx.db.$client) {
    await ctx.db.update(subscriptions).set({ disabledAt: at, disabledReason: "failing" }).where(and(eq(subscriptions.id, sub.id), isNull(subscriptions.disabledAt))).run();
  }
  if (!first) return;
  console.error(JSON.stringify({ level: "warn", action: "webhook.subscription-disabled", subscriptionId: sub.id, failingSince: since }));
  const to = await recipients(ctx, dir, sub);
  if (to.length === 0) return;
  const r = await ctx.mailer.send({
    idempotencyKey: `webhook-disabled.${sub.id}.${at}`, from: ctx.from, to, ...composeEndpointFailing({ ...notice(ctx, dir, sub, since, lastError), disabledAt: at }),
  });
  if (!r.ok) console.error(JSON.stringify({ level: "warn", action: "webhook.disabled-mail-failed", subscriptionId: sub.id, error: r.error }));
}
