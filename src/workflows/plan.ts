/** What a timeline's workflow does next, read from D1 (the source of truth). */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { attemptAt } from "../db/delivery.js";
import { deliveryAttemptAt, pendingOfInstance } from "../db/outbound.js";
import { notifications, timelineInstances } from "../db/schema.js";

export interface Plan {
  /** The instant the plan was made for. */
  asOf: number;
  closed: boolean;
  /**
   * Work to do now: notifications (email) and outbound deliveries (webhooks).
   * `key` is stable and readable (stage/rung, or webhook/<delivery>).
   */
  due: { id: string; key: string; channel: "mail" | "webhook" }[];
  /** When the next one falls due (a first attempt, a retry, or a claim going stale); null when nothing is pending. */
  nextAt: number | null;
}

export async function planInstance(db: Db, instanceId: string, asOf: number, staleMs: number, webhookStaleMs = staleMs): Promise<Plan> {
  const [instance, pending, outbound] = await db.batch([
    db.select({ status: timelineInstances.status }).from(timelineInstances).where(eq(timelineInstances.id, instanceId)),
    db.select({
      id: notifications.id, status: notifications.status, sendAtMs: notifications.sendAtMs, retryAtMs: notifications.retryAtMs, claimedAtMs: notifications.claimedAtMs,
    }).from(notifications).where(and(eq(notifications.instanceId, instanceId), inArray(notifications.status, ["scheduled", "sending"]))),
    pendingOfInstance(db, instanceId),
  ]);
  if (instance[0] === undefined) return { asOf, closed: true, due: [], nextAt: null };
  const timed = [
    ...pending.map((n) => ({ id: n.id, at: attemptAt(n, staleMs), channel: "mail" as const, key: n.id.slice(instanceId.length + 1).replace(".", "/") })),
    ...outbound.map((d) => ({ id: d.id, at: deliveryAttemptAt(d, webhookStaleMs), channel: "webhook" as const, key: `webhook/${d.id}` })),
  ].sort((a, b) => a.at - b.at);
  const due = timed.filter((n) => n.at <= asOf).map(({ id, key, channel }) => ({ id, key, channel }));
  const next = timed.find((n) => n.at > asOf);
  return { asOf, closed: instance[0].status !== "running", due, nextAt: next?.at ?? null };
}
