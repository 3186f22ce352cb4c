/**
 * Gathering a morning digest: the due reminders and escalations of one
 * office (the same recipients) become members of one digest row, in one
 * batch. A member belongs to one digest only: it is taken only while still
 * scheduled, so two senders gathering at once end with one digest.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type Db, boundGroups } from "./client.js";
import type { Notification } from "./delivery.js";
import { deadlines, notifications } from "./schema.js";

/** More than this many at once are gathered over several digests. */
const MAX_MEMBERS = 500;

/** The digest `n` is now in (with at least one other message), or undefined when it goes alone. */
export async function gatherDigest(db: Db, n: Notification, asOf: number): Promise<string | undefined> {
  const due = await db.select({ id: notifications.id, deadlineId: notifications.deadlineId, instanceId: notifications.instanceId, rung: notifications.rung }).from(notifications)
    .where(and(
      eq(notifications.officeId, n.officeId), eq(notifications.recipients, n.recipients), inArray(notifications.kind, ["reminder", "escalation"]),
      eq(notifications.status, "scheduled"), lte(notifications.sendAtMs, asOf), or(isNull(notifications.retryAtMs), lte(notifications.retryAtMs, asOf)),
    ))
    .orderBy(asc(notifications.id)).limit(MAX_MEMBERS).all();
  if (due.length < 2 || !due.some((d) => d.id === n.id)) return undefined;
  const first = due[0]!;
  const id = `${first.id}.digest`;
  await db.batch([
    // Anchored on its first member's deadline, under a rung of its own (a deadline's rungs are unique).
    db.insert(notifications).values({
      id, deadlineId: first.deadlineId, instanceId: first.instanceId, rung: `${first.rung}/digest`, kind: "digest", officeId: n.officeId,
      recipients: n.recipients, sendAtMs: asOf, status: "scheduled",
    }).onConflictDoNothing(),
    // Never a member of a digest that is not there: it would wait for ever. In groups under D1's 100 bound parameters.
    ...boundGroups(due.map((d) => d.id)).map((ids) => db.update(notifications).set({ status: "digested", digestId: id })
      .where(and(inArray(notifications.id, ids), eq(notifications.status, "scheduled"),
        sql`exists (select 1 from notifications d where d.id = ${id} and d.kind = 'digest')`))),
  ]);
  return id;
}

/**
 * A digest's members with their deadlines, in one read: those still waiting
 * in it, or (`all`) every one it was gathered with, whatever became of it.
 */
export async function digestMembers(db: Db, digestId: string, all = false): Promise<{ m: Notification; deadline: typeof deadlines.$inferSelect }[]> {
  const rows = await db.select({ m: notifications, deadline: deadlines }).from(notifications).innerJoin(deadlines, eq(deadlines.id, notifications.deadlineId))
    .where(and(eq(notifications.digestId, digestId), all ? undefined : eq(notifications.status, "digested")))
    .orderBy(asc(notifications.id)).all();
  return rows;
}

/** A member that no longer needs saying (its deadline closed, a later reminder): out of the digest. */
export async function dropMember(db: Db, id: string, status: "cancelled" | "superseded"): Promise<void> {
  await db.update(notifications).set({ status }).where(and(eq(notifications.id, id), eq(notifications.status, "digested"))).run();
}
