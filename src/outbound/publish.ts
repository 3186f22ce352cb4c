/**
 * Outbound deliveries handed to QStash: one at a time from a workflow step
 * or a manual action, many per request from the sweep (QStash's batch
 * endpoint), and the sweep's look-up of messages whose outcome Termini never
 * heard of. Every path ends in the same row states:
 * - published: QStash has it; due_at is when to ask QStash about it if no
 *   callback (or relay record) has settled it by then;
 * - pending again: the publish failed, retried with backoff; never dropped;
 * - dead: in QStash's dead-letter queue (with its dlqId), or undeliverable.
 */
import { type Directory, type Subscription, directory } from "../db/directory.js";
import { commitHeld, prepared } from "../db/delivery.js";
import {
  type HeldDelivery, attemptInsert, claimMany, deadByMessage, publishedUnsettled, recheckPublished, requeueLost, settleDelivery,
} from "../db/outbound.js";
import { afterFailure } from "../notify/retry.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";
import { type Publication, type PublishResult, type QStashConfig, QSTASH_BATCH, publish, publishBatch, whereabouts } from "./qstash.js";
import { endpointProblem } from "./endpoint.js";
import { abandon, failed, skip } from "./settle.js";

/**
 * The first publication of a delivery is deduplicated on its id; a later
 * one (a replay, a message QStash lost) on its id and the message it
 * replaces, so QStash does not answer it with the old message — and a
 * retried publish reuses the same key.
 */
function publication(sub: Subscription, held: HeldDelivery, body: string): Publication {
  return {
    deliveryId: held.id, deduplicationId: held.messageId === null ? held.id : `${held.id}~${held.messageId}`, body,
    flow: { key: sub.id, parallelism: sub.parallelism, rate: sub.ratePerSecond },
  };
}

/** The row after QStash's answer: published (to be checked later if unheard of), or due again with backoff. */
function settlement(ctx: OutboundContext, held: HeldDelivery, r: PublishResult, at: number): { stmts: D1PreparedStatement[]; outcome: OutboundOutcome } {
  if (r.ok) {
    return {
      outcome: "published",
      stmts: [settleDelivery(ctx.db, held, {
        status: "published", messageId: r.messageId, dueAt: at + ctx.checkAfterMs, firstFailedAt: held.firstFailedAt, lastStatus: null, lastError: null, uncount: true,
      })],
    };
  }
  const firstFailedAt = held.firstFailedAt ?? at;
  const next = afterFailure(ctx.retry, { error: r.error, retryable: true }, held.attempts, firstFailedAt, at);
  console.error(JSON.stringify({ level: "warn", action: "webhook.publish-failed", deliveryId: held.id, error: r.error, retryAt: next.retryAt }));
  return {
    outcome: next.retryAt === null ? "dead" : "retrying",
    stmts: [
      prepared(ctx.db, attemptInsert(ctx.db, held.id, at, { via: "qstash", status: r.status, durationMs: null, error: r.error })),
      settleDelivery(ctx.db, held, { status: next.retryAt === null ? "dead" : "pending", dueAt: next.retryAt ?? undefined, firstFailedAt, lastStatus: null, lastError: r.error }),
    ],
  };
}

export async function publishOne(ctx: OutboundContext, cfg: QStashConfig, sub: Subscription, held: HeldDelivery, body: string): Promise<OutboundOutcome> {
  const r = await publish(cfg, publication(sub, held, body));
  const s = settlement(ctx, held, r, ctx.now());
  return (await commitHeld(ctx.db, s.stmts)) ? s.outcome : "already-done";
}

export type PublishCounts = Partial<Record<OutboundOutcome, number>>;

/**
 * Claims these due rows and publishes them in batches of QSTASH_BATCH: one
 * claim statement per 90 rows, one QStash request and one D1 batch per
 * hundred. False in `reachable` when QStash did not answer at all (the rest
 * waits for the next sweep).
 */
export async function publishMany(ctx: OutboundContext, cfg: QStashConfig, ids: readonly string[]): Promise<{ counts: PublishCounts; reachable: boolean }> {
  const counts: PublishCounts = {};
  const count = (o: OutboundOutcome) => (counts[o] = (counts[o] ?? 0) + 1);
  const [dir, helds] = await Promise.all([directory(ctx.db), claimMany(ctx.db, ids, ctx.now(), ctx.staleMs)]);
  const ready: { held: HeldDelivery; sub: Subscription; body: string }[] = [];
  for (const held of helds) {
    const sub = dir.subscription(held.subscriptionId);
    const refused = sub === undefined ? null : endpointProblem(sub.url, ctx.local);
    if (sub === undefined && dir.isOff(held.subscriptionId)) count(await skip(ctx, held));
    else if (sub === undefined || held.body === null) count(await abandon(ctx, held));
    else if (refused !== null) count(await abandon(ctx, held, `endpoint non consentito: ${refused}`));
    else ready.push({ held, sub, body: held.body });
  }
  for (let i = 0; i < ready.length; i += QSTASH_BATCH) {
    const group = ready.slice(i, i + QSTASH_BATCH);
    const results = await publishBatch(cfg, group.map((g) => publication(g.sub, g.held, g.body)));
    const at = ctx.now();
    const settled = group.map((g, j) => settlement(ctx, g.held, results[j]!, at));
    const answers = await ctx.db.$client.batch(settled.flatMap((s) => s.stmts));
    // Each settlement's last statement holds the claim: no change, someone else settled the row.
    let k = 0;
    for (const s of settled) {
      k += s.stmts.length;
      count((answers[k - 1]?.meta.changes ?? 0) > 0 ? s.outcome : "already-done");
    }
    if (results.every((r) => !r.ok && r.status === null)) {
      // QStash unreachable: every row left is released for the next sweep, due as the backoff says.
      await releaseRest(ctx, ready.slice(i + QSTASH_BATCH).map((g) => g.held), results[0]!, count);
      return { counts, reachable: false };
    }
  }
  return { counts, reachable: true };
}

async function releaseRest(ctx: OutboundContext, rest: HeldDelivery[], r: PublishResult, count: (o: OutboundOutcome) => void): Promise<void> {
  if (rest.length === 0) return;
  const at = ctx.now();
  const settled = rest.map((held) => settlement(ctx, held, r, at));
  await ctx.db.$client.batch(settled.flatMap((s) => s.stmts));
  for (const s of settled) count(s.outcome);
}

export interface CheckCounts { checked: number; queued: number; dead: number; requeued: number }

/**
 * Published rows whose outcome was never heard of (a callback QStash gave
 * up on while Termini was down), looked up in QStash: still queued → asked
 * again later, twice as late each time; in its dead-letter queue → dead,
 * replayable, flagged; gone → due again, published afresh (the receiver
 * deduplicates on webhook-id if it had it after all).
 */
export async function checkPublished(ctx: OutboundContext, cfg: QStashConfig, now: number, until: number, limit = 100): Promise<CheckCounts> {
  const counts: CheckCounts = { checked: 0, queued: 0, dead: 0, requeued: 0 };
  const rows = await publishedUnsettled(ctx.db, now, limit);
  let dir: Directory | undefined;
  for (const row of rows) {
    if (row.messageId === null || Date.now() > until) continue;
    const w = await whereabouts(cfg, row.messageId);
    if (w.at === "unknown") break; // QStash unreachable: the next sweep asks again.
    counts.checked++;
    const at = ctx.now();
    if (w.at === "queued") {
      counts.queued++;
      await recheckPublished(ctx.db, row.id, row.messageId, at + Math.max(ctx.checkAfterMs, at - (row.claimedAt ?? at)));
    } else if (w.at === "dead") {
      if ((await deadByMessage(ctx.db, row.messageId, w.dlqId, at)) === undefined) continue;
      counts.dead++;
      dir ??= await directory(ctx.db);
      const sub = dir.subscription(row.subscriptionId);
      if (sub !== undefined) await failed(ctx, dir, sub, "tentativi esauriti in QStash", at);
    } else if (await requeueLost(ctx.db, row.id, row.messageId, at)) {
      counts.requeued++;
      console.error(JSON.stringify({ level: "warn", action: "webhook.message-lost", deliveryId: row.id, messageId: row.messageId }));
    }
  }
  return counts;
}
