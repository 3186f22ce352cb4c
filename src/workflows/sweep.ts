/**
 * The cron sweep (every 5 minutes): delivers whatever is overdue through
 * the same idempotent path as the workflows, then makes sure each affected
 * workflow is alive. A stalled workflow or a restarted local server
 * therefore delays a notification by at most one sweep.
 */
import { and, asc, eq, lt, lte, or } from "drizzle-orm";
import { database } from "../db/client.js";
import { notifications } from "../db/schema.js";
import type { Bindings } from "../env.js";
import { STALE_CLAIM_MS, type DeliveryOutcome, deliver } from "../notify/deliver.js";
import { deliveryContext } from "../notify/context.js";
import { ensureAwake } from "./wake.js";

const BATCH = 200;

export async function sweep(env: Bindings, now: number): Promise<Record<DeliveryOutcome, number>> {
  const db = database(env.DB);
  const overdue = await db
    .select({ id: notifications.id, instanceId: notifications.instanceId })
    .from(notifications)
    .where(or(
      and(eq(notifications.status, "scheduled"), lte(notifications.sendAtMs, now)),
      and(eq(notifications.status, "sending"), lt(notifications.claimedAtMs, now - STALE_CLAIM_MS)),
    ))
    .orderBy(asc(notifications.sendAtMs))
    .limit(BATCH)
    .all();
  const counts: Record<DeliveryOutcome, number> = {
    sent: 0, failed: 0, cancelled: 0, superseded: 0, "already-done": 0, "not-due": 0, "in-flight": 0,
  };
  const ctx = deliveryContext(env, "system:cron");
  for (const n of overdue) counts[await deliver(ctx, n.id, now)]++;
  for (const instanceId of new Set(overdue.map((n) => n.instanceId))) {
    try {
      await ensureAwake(env, db, instanceId, now);
    } catch {
      // The next sweep tries again.
    }
  }
  if (overdue.length > 0) console.log(JSON.stringify({ level: "info", action: "sweep", ...counts }));
  return counts;
}
