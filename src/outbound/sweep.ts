/**
 * The cron sweep's outbound part: every delivery due — first attempts a
 * workflow did not make (report events, a closed timeline's retries, a lost
 * workflow), retries, claims a dead sender left — through the same path as
 * the workflows. An endpoint that fails a few times in a row is left for
 * the next sweep rather than holding this one for a timeout per event.
 * With QStash, due rows are published in batches, and published rows whose
 * outcome never arrived are looked up in QStash.
 */
import type { Db } from "../db/client.js";
import { dueDeliveries, purgeReceipts } from "../db/outbound.js";
import type { Bindings } from "../env.js";
import { type OutboundContext, type OutboundOutcome, outboundContext } from "./context.js";
import { deliverOutbound } from "./deliver.js";
import { checkPublished, publishMany } from "./publish.js";
import type { QStashConfig } from "./qstash.js";

const BATCH = 200;
const PAGES = 10;
/** Failures in a row after which an endpoint is left for the next sweep. */
const BREAKER = 3;

/** checked: published rows looked up in QStash; requeued: of those, lost there and due again. */
export type OutboundSweepCounts = Record<OutboundOutcome | "deferred" | "checked" | "requeued", number>;

/** One district's deliveries (`db`: its database). */
export async function sweepOutbound(env: Bindings, db: Db, now: number, until: number): Promise<OutboundSweepCounts> {
  const counts: OutboundSweepCounts = { delivered: 0, published: 0, retrying: 0, dead: 0, busy: 0, "not-due": 0, "already-done": 0, deferred: 0, checked: 0, requeued: 0 };
  const ctx = outboundContext(env, now, db);
  await purgeReceipts(ctx.db, now);
  if (ctx.qstash !== null) {
    await publishDue(ctx, ctx.qstash, now, until, counts);
    const checks = await checkPublished(ctx, ctx.qstash, now, until);
    counts.checked = checks.checked;
    counts.requeued = checks.requeued;
    counts.dead += checks.dead;
    return counts;
  }
  const failing = new Map<string, number>(); // subscription → failures in a row
  const seen = new Set<string>();
  for (let page = 0; page < PAGES; page++) {
    const due = (await dueDeliveries(ctx.db, now, BATCH, ctx.staleMs)).filter((d) => !seen.has(d.id));
    for (const d of due) {
      seen.add(d.id);
      if ((failing.get(d.subscriptionId) ?? 0) >= BREAKER || Date.now() > until) {
        counts.deferred++;
        continue;
      }
      const outcome = await deliverOutbound(ctx, d.id, ctx.now());
      counts[outcome]++;
      if (outcome === "retrying" || outcome === "dead") failing.set(d.subscriptionId, (failing.get(d.subscriptionId) ?? 0) + 1);
      else if (outcome === "delivered" || outcome === "published") failing.delete(d.subscriptionId);
    }
    if (due.length < BATCH) break;
  }
  return counts;
}

/** Publishing is one request per hundred, whatever the endpoints do: no breaker, only QStash being unreachable stops it. */
async function publishDue(ctx: OutboundContext, cfg: QStashConfig, now: number, until: number, counts: OutboundSweepCounts): Promise<void> {
  for (let page = 0; page < PAGES && Date.now() <= until; page++) {
    const due = await dueDeliveries(ctx.db, now, BATCH, ctx.staleMs);
    const r = await publishMany(ctx, cfg, due.map((d) => d.id));
    for (const [k, n] of Object.entries(r.counts)) counts[k as OutboundOutcome] += n;
    if (!r.reachable || due.length < BATCH) return;
  }
}
