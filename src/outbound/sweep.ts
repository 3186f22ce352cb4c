/**
 * The cron sweep's outbound part: every delivery due — first attempts a
 * workflow did not make (report events, a closed timeline's retries, a lost
 * workflow), retries, claims a dead sender left — through the same path as
 * the workflows. An endpoint that fails a few times in a row is left for
 * the next sweep rather than holding this one for a timeout per event.
 */
import { database } from "../db/client.js";
import { dueDeliveries, purgeReceipts } from "../db/outbound.js";
import type { Bindings } from "../env.js";
import { outboundContext } from "./context.js";
import { type OutboundOutcome, deliverOutbound } from "./deliver.js";

const BATCH = 200;
const PAGES = 10;
/** Failures in a row after which an endpoint is left for the next sweep. */
const BREAKER = 3;

export type OutboundSweepCounts = Record<OutboundOutcome | "deferred", number>;

export async function sweepOutbound(env: Bindings, now: number, until: number): Promise<OutboundSweepCounts> {
  const counts: OutboundSweepCounts = { delivered: 0, published: 0, retrying: 0, dead: 0, busy: 0, "not-due": 0, "already-done": 0, deferred: 0 };
  const ctx = outboundContext(env, now);
  const db = database(env.DB);
  await purgeReceipts(db, now);
  const failing = new Map<string, number>(); // subscription → failures in a row
  const seen = new Set<string>();
  for (let page = 0; page < PAGES; page++) {
    const due = (await dueDeliveries(db, now, BATCH, ctx.staleMs)).filter((d) => !seen.has(d.id));
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
