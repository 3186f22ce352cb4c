/**
 * The cron sweep (every 5 minutes): delivers whatever is due — first
 * attempts, retries, claims a dead sender left — through the same
 * idempotent path as the workflows, then makes sure each affected workflow
 * is alive. A stalled workflow or a restarted local server therefore
 * delays a notification by at most one sweep.
 *
 * When the provider is down the sweep stops after a few failures in a row
 * rather than spending a timeout on every row: what it leaves is still due,
 * and the next sweep tries again.
 */
import { database } from "../db/client.js";
import { dueNotifications } from "../db/delivery.js";
import type { Bindings } from "../env.js";
import { type DeliveryOutcome, deliver } from "../notify/deliver.js";
import { deliveryContext, staleClaimMs } from "../notify/context.js";
import { ensureAwake } from "./wake.js";

const BATCH = 200;
/** Failed attempts in a row after which the provider is taken to be down for this sweep. */
export const BREAKER = 3;
/** No new attempt after this long: the next sweep (5 minutes) carries on. */
const BUDGET_MS = 4 * 60_000;

export type SweepCounts = Record<DeliveryOutcome | "deferred", number>;

export async function sweep(env: Bindings, now: number): Promise<SweepCounts> {
  const db = database(env.DB);
  const overdue = await dueNotifications(db, now, BATCH, staleClaimMs(env));
  const counts: SweepCounts = {
    sent: 0, retrying: 0, failed: 0, cancelled: 0, superseded: 0, "already-done": 0, "not-due": 0, "in-flight": 0, deferred: 0,
  };
  const ctx = deliveryContext(env, "system:cron", now);
  const started = Date.now();
  let failuresInARow = 0;
  for (const n of overdue) {
    if (failuresInARow >= BREAKER || Date.now() - started > BUDGET_MS) {
      counts.deferred++;
      continue;
    }
    const outcome = await deliver(ctx, n.id, ctx.now());
    counts[outcome]++;
    if (outcome === "retrying" || outcome === "failed") failuresInARow++;
    else if (outcome === "sent") failuresInARow = 0;
  }
  for (const instanceId of new Set(overdue.map((n) => n.instanceId))) {
    try {
      await ensureAwake(env, db, instanceId, now, false);
    } catch {
      // The next sweep tries again.
    }
  }
  if (overdue.length > 0) console.log(JSON.stringify({ level: "info", action: "sweep", ...counts }));
  return counts;
}
