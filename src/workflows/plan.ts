/** What a timeline's workflow does next, read from D1 (the source of truth). */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { notifications, timelineInstances } from "../db/schema.js";
import { STALE_CLAIM_MS } from "../notify/deliver.js";

export interface Plan {
  /** The instant the plan was made for. */
  asOf: number;
  closed: boolean;
  /** Notifications to deliver now; `key` is stable and readable (stage/rung). */
  due: { id: string; key: string }[];
  /** When the next one falls due; null when nothing is scheduled. */
  nextAt: number | null;
}

export async function planInstance(db: Db, instanceId: string, asOf: number): Promise<Plan> {
  const instance = await db.select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get();
  if (instance === undefined) return { asOf, closed: true, due: [], nextAt: null };
  const pending = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.instanceId, instanceId), inArray(notifications.status, ["scheduled", "sending"])))
    .orderBy(asc(notifications.sendAtMs))
    .all();
  const due = pending
    .filter((n) => n.sendAtMs <= asOf && (n.status === "scheduled" || (n.claimedAtMs ?? 0) < asOf - STALE_CLAIM_MS))
    .map((n) => ({ id: n.id, key: n.id.slice(instanceId.length + 1).replace(".", "/") }));
  const next = pending.find((n) => n.sendAtMs > asOf);
  return { asOf, closed: instance.status !== "running", due, nextAt: next?.sendAtMs ?? null };
}
