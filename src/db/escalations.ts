/**
 * The escalations an office received: each sent to it because a deadline of an office below passed
 * without its act, with that deadline as it stands now. What a head of office reads first.
 * One walk of notifications_office_sent per office, newest first, bounded by `limit`.
 */
import { and, desc, eq, gte } from "drizzle-orm";
import type { Db } from "./client.js";
import { cases, deadlines, notifications, offices, timelineInstances } from "./schema.js";

export async function escalationsTo(db: Db, officeIds: readonly string[], since: number, limit: number) {
  const walks = officeIds.map((office) => db
    .select({
      id: notifications.id, sentAtMs: notifications.sentAtMs, rung: notifications.rung,
      d: deadlines, ref: cases.ref, owner: cases.ownerOfficeId, caseId: timelineInstances.caseId, timeline: timelineInstances.timeline,
      version: timelineInstances.version, office: offices.name,
    })
    .from(notifications)
    .innerJoin(deadlines, eq(deadlines.id, notifications.deadlineId))
    .innerJoin(timelineInstances, eq(timelineInstances.id, notifications.instanceId))
    .innerJoin(cases, eq(cases.id, timelineInstances.caseId))
    .innerJoin(offices, eq(offices.id, deadlines.officeId))
    .where(and(eq(notifications.officeId, office), eq(notifications.kind, "escalation"), eq(notifications.status, "sent"), gte(notifications.sentAtMs, since)))
    .orderBy(desc(notifications.sentAtMs))
    .limit(limit).all());
  // Not one batch: in a batch D1 keys rows by column name, and notifications and deadlines share several.
  const results = await Promise.all(walks);
  return results.flat().sort((a, b) => (b.sentAtMs ?? 0) - (a.sentAtMs ?? 0)).slice(0, limit);
}
