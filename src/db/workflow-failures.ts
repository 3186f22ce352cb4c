/**
 * Timelines whose workflow could not be started or woken. The case's rows
 * are safe in D1 either way; these rows make the gap visible to
 * administrators and tell the sweep which workflows to start again.
 */
import { asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { cases, timelineInstances, workflowFailures } from "./schema.js";

export async function recordWorkflowFailure(db: Db, instanceId: string, action: "start" | "wake", error: string, now: number): Promise<void> {
  await db.insert(workflowFailures).values({ instanceId, action, error, firstAt: now, lastAt: now, attempts: 1 })
    .onConflictDoUpdate({ target: workflowFailures.instanceId, set: { error, lastAt: now, attempts: sql`${workflowFailures.attempts} + 1` } }).run();
}

export async function clearWorkflowFailure(db: Db, instanceId: string): Promise<void> {
  await db.delete(workflowFailures).where(eq(workflowFailures.instanceId, instanceId)).run();
}

/** The oldest first, so that none waits behind newer ones for ever. */
export async function listWorkflowFailures(db: Db, limit: number) {
  return db.select().from(workflowFailures).orderBy(asc(workflowFailures.firstAt)).limit(limit).all();
}

/** For the administrators' page: the newest first, with the case's reference and the timeline. */
export async function workflowFailuresWithRef(db: Db, limit: number) {
  const rows = await db.select({ f: workflowFailures, ref: cases.ref, timeline: timelineInstances.timeline }).from(workflowFailures)
    .leftJoin(timelineInstances, eq(timelineInstances.id, workflowFailures.instanceId)).leftJoin(cases, eq(cases.id, timelineInstances.caseId))
    .orderBy(desc(workflowFailures.lastAt)).limit(limit).all();
  return rows.map((r) => ({ ...r.f, ref: r.ref, timeline: r.timeline }));
}
