/** Cases, the offices involved in each, and their timelines' state. */
import { and, asc, count, desc, eq, gte, inArray, lt, lte } from "drizzle-orm";
import type { Db } from "./client.js";
import { caseOffices, cases, deadlines, events, notifications, offices, timelineInstances } from "./schema.js";

export type Case = typeof cases.$inferSelect;
export type Deadline = typeof deadlines.$inferSelect;
export type Instance = typeof timelineInstances.$inferSelect;
export type StoredEvent = typeof events.$inferSelect;

/** Which case a reference means, when more than one office uses it: the owner office, or its district. */
export interface CaseHint {
  office?: string;
  district?: string;
}

/** The cases with this reference (one per owner office at most), narrowed by the hint. */
export async function casesByRef(db: Db, ref: string, hint: CaseHint = {}): Promise<(Case & { district: string })[]> {
  const rows = await db.select({ c: cases, district: offices.jurisdiction }).from(cases)
    .innerJoin(offices, eq(offices.id, cases.ownerOfficeId))
    .where(and(eq(cases.ref, ref), hint.office === undefined ? undefined : eq(cases.ownerOfficeId, hint.office),
      hint.district === undefined ? undefined : eq(offices.jurisdiction, hint.district)))
    .limit(50).all();
  return rows.map((r) => ({ ...r.c, district: r.district }));
}

/** The case an office owns under this reference. */
export async function ownedCase(db: Db, ownerOfficeId: string, ref: string): Promise<Case | undefined> {
  return db.select().from(cases).where(and(eq(cases.ownerOfficeId, ownerOfficeId), eq(cases.ref, ref))).get();
}

/** role → office id */
export async function officesOfCase(db: Db, caseId: string): Promise<Record<string, string>> {
  const rows = await db.select().from(caseOffices).where(eq(caseOffices.caseId, caseId)).all();
  return Object.fromEntries(rows.map((r) => [r.role, r.officeId]));
}

export async function deadlinesOf(db: Db, instanceIds: readonly string[]): Promise<Deadline[]> {
  if (instanceIds.length === 0) return [];
  return db.select().from(deadlines).where(inArray(deadlines.instanceId, [...instanceIds])).orderBy(asc(deadlines.dueAtMs)).all();
}

export async function instancesOf(db: Db, caseId: string): Promise<Instance[]> {
  return db.select().from(timelineInstances).where(eq(timelineInstances.caseId, caseId)).orderBy(asc(timelineInstances.startedAt)).all();
}

export async function eventsOf(db: Db, caseId: string): Promise<StoredEvent[]> {
  return db.select().from(events).where(eq(events.caseId, caseId)).orderBy(asc(events.occurredAtMs)).all();
}

export async function notificationsOf(db: Db, instanceIds: readonly string[]) {
  if (instanceIds.length === 0) return [];
  return db.select().from(notifications).where(inArray(notifications.instanceId, [...instanceIds])).orderBy(asc(notifications.sendAtMs)).all();
}

/** Cases that involve any of the offices (or all cases), newest first, before a creation time. */
export async function casesOfOffices(db: Db, officeIds: readonly string[] | "all", limit: number, before?: number): Promise<Case[]> {
  const older = before === undefined ? undefined : lt(cases.createdAt, before);
  if (officeIds === "all") {
    return db.select().from(cases).where(older).orderBy(desc(cases.createdAt), desc(cases.id)).limit(limit).all();
  }
  if (officeIds.length === 0) return [];
  const mine = db.select({ id: caseOffices.caseId }).from(caseOffices).where(inArray(caseOffices.officeId, [...officeIds]));
  return db
    .select()
    .from(cases)
    .where(and(inArray(cases.id, mine), older))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(limit)
    .all();
}

/** Events of a type on a case between two instants (inclusive). */
export async function countEvents(db: Db, caseId: string, type: string, from: number, to: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(events)
    .where(and(eq(events.caseId, caseId), eq(events.type, type), gte(events.occurredAtMs, from), lte(events.occurredAtMs, to)))
    .all();
  return row?.n ?? 0;
}

/** Open deadlines of some offices, soonest first, with their case, timeline and office name. */
export async function openDeadlinesOf(db: Db, officeIds: readonly string[], timeline?: string, limit = 500) {
  if (officeIds.length === 0) return [];
  return db
    .select({
      d: deadlines, ref: cases.ref, owner: cases.ownerOfficeId, caseId: cases.id, timeline: timelineInstances.timeline, version: timelineInstances.version,
      office: offices.name,
    })
    .from(deadlines)
    .innerJoin(timelineInstances, eq(timelineInstances.id, deadlines.instanceId))
    .innerJoin(cases, eq(cases.id, timelineInstances.caseId))
    .innerJoin(offices, eq(offices.id, deadlines.officeId))
    .where(and(inArray(deadlines.officeId, [...officeIds]), eq(deadlines.status, "open"), timeline ? eq(timelineInstances.timeline, timeline) : undefined))
    .orderBy(asc(deadlines.dueAtMs))
    .limit(limit)
    .all();
}
