/** Cases, the offices involved in each, and their timelines' state. */
import { and, asc, count, desc, eq, gt, gte, inArray, lte, sql } from "drizzle-orm";
import { DomainFailure } from "../domain/failure.js";
import { canonicalReference } from "../lib/reference.js";
import type { Db } from "./client.js";
import type { Office } from "./directory.js";
import { type DeadlineStatus, caseOffices, cases, deadlines, events, notifications, offices, timelineInstances } from "./schema.js";

export type Case = typeof cases.$inferSelect;
export type Deadline = typeof deadlines.$inferSelect;
export type Instance = typeof timelineInstances.$inferSelect;
export type StoredEvent = typeof events.$inferSelect;

/** Which case a reference means, when more than one office uses it: the owner office, or its district. */
export interface CaseHint {
  office?: string;
  district?: string;
}

/** Not a duplicate an administrator withdrew (case_ref_review): its reference is the other case's. */
export const live = sql`NOT EXISTS (SELECT 1 FROM case_ref_review r WHERE r.case_id = ${cases.id} AND r.resolved_at IS NOT NULL)`;

/** The cases with this reference (one per owner office at most), narrowed by the hint. */
export async function casesByRef(db: Db, ref: string, hint: CaseHint = {}): Promise<(Case & { district: string })[]> {
  const rows = await db.select({ c: cases, district: offices.jurisdiction }).from(cases)
    .innerJoin(offices, eq(offices.id, cases.ownerOfficeId))
    .where(and(eq(cases.ref, ref), live, hint.office === undefined ? undefined : eq(cases.ownerOfficeId, hint.office),
      hint.district === undefined ? undefined : eq(offices.jurisdiction, hint.district)))
    .limit(50).all();
  return rows.map((r) => ({ ...r.c, district: r.district }));
}

/**
 * A new case's row, the one way a case is first written: under its reference's canonical spelling,
 * into its owner office's district database, whichever entry point routed it there (in the district layout every handle names
 * its district, the central one as the national district; the single database names none).
 */
export function insertCase(db: Db, owner: Pick<Office, "id" | "jurisdiction">, row: Omit<typeof cases.$inferInsert, "ownerOfficeId">) {
  // Entry points read references in their canonical spelling: one that is not would open a second case for one number.
  if (canonicalReference(row.ref) !== row.ref) throw new DomainFailure("invalid_body", `ref: riferimento non nella forma canonica (${canonicalReference(row.ref)})`, { parameter: "ref" });
  if (db.district !== null && db.district !== owner.jurisdiction) {
    console.error(JSON.stringify({ level: "warn", action: "case.wrong-district", district: db.district, owner: owner.id }));
    throw new DomainFailure("wrong_district", `Il procedimento appartiene a ${owner.id}, del distretto ${owner.jurisdiction}: non può essere registrato nel distretto ${db.district}`);
  }
  return db.insert(cases).values({ ...row, ownerOfficeId: owner.id });
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

/** Where a page of cases ended: the last one's creation time and id (cases created in the same millisecond are told apart by id). */
export interface CaseCursor { createdAt: number; id: string }

/** Cases that involve any of the offices (or all cases), newest first (then by id), after a cursor. */
export async function casesOfOffices(db: Db, officeIds: readonly string[] | "all", limit: number, after?: CaseCursor): Promise<Case[]> {
  // Row values walk the (created_at, id) indexes: a page boundary inside one millisecond skips nothing.
  const older = after === undefined ? undefined : sql`(${cases.createdAt}, ${cases.id}) < (${after.createdAt}, ${after.id})`;
  if (officeIds === "all") {
    return db.select().from(cases).where(older).orderBy(desc(cases.createdAt), desc(cases.id)).limit(limit).all();
  }
  if (officeIds.length === 0) return [];
  // One walk per office (case_offices_office: office, created, case), merged; a case of two of them once.
  const walks = officeIds.map((office) => db.select({ c: cases }).from(caseOffices).innerJoin(cases, eq(cases.id, caseOffices.caseId))
    .where(and(eq(caseOffices.officeId, office), after === undefined ? undefined : sql`(${caseOffices.caseCreatedAt}, ${caseOffices.caseId}) < (${after.createdAt}, ${after.id})`))
    .orderBy(desc(caseOffices.caseCreatedAt), desc(caseOffices.caseId)).limit(limit));
  const found = new Map((await db.batch(walks as [(typeof walks)[number], ...(typeof walks)[number][]])).flat().map((r) => [r.c.id, r.c]));
  return [...found.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit);
}

/** Events of a type on a case between two instants (inclusive). */
export async function countEvents(db: Db, caseId: string, type: string, from: number, to: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(events).where(datedWithin(caseId, type, from, to)).all();
  return row?.n ?? 0;
}

/** The events of a type on a case dated within a period, as their ids, in the order they were recorded. */
export async function eventsRecorded(db: Db, caseId: string, type: string, from: number, to: number): Promise<string[]> {
  const rows = await db.select({ id: events.id }).from(events).where(datedWithin(caseId, type, from, to))
    .orderBy(asc(events.receivedAt), asc(sql`rowid`)).all();
  return rows.map((r) => r.id);
}

const datedWithin = (caseId: string, type: string, from: number, to: number) =>
  and(eq(events.caseId, caseId), eq(events.type, type), gte(events.occurredAtMs, from), lte(events.occurredAtMs, to));

export { DEADLINE_STATUSES } from "./schema.js";

export interface DeadlineWalk {
  statuses: readonly DeadlineStatus[];
  /** Due at or before this instant, or after it. */
  dueBy?: number;
  dueAfter?: number;
  timeline?: string;
  limit: number;
}

/**
 * Deadlines of some offices, soonest first, with their case, timeline and
 * office name. One index walk per office and status (deadlines_office:
 * office_id, status, due_at_ms), each stopping at `limit`, in one batch,
 * merged here: what is read depends on the offices and the limit, never on
 * how many deadlines the offices have.
 */
export async function deadlinesOfOffices(db: Db, officeIds: readonly string[], w: DeadlineWalk) {
  // In a batch D1 returns rows keyed by column name: no two selected columns may share one (hence case_id, not cases.id).
  const walks = officeIds.flatMap((office) => w.statuses.map((status) => db
    .select({
      d: deadlines, ref: cases.ref, owner: cases.ownerOfficeId, caseId: timelineInstances.caseId, timeline: timelineInstances.timeline, version: timelineInstances.version,
      office: offices.name,
    })
    .from(deadlines)
    .innerJoin(timelineInstances, eq(timelineInstances.id, deadlines.instanceId))
    .innerJoin(cases, eq(cases.id, timelineInstances.caseId))
    .innerJoin(offices, eq(offices.id, deadlines.officeId))
    .where(and(
      eq(deadlines.officeId, office), eq(deadlines.status, status),
      w.dueBy === undefined ? undefined : lte(deadlines.dueAtMs, w.dueBy), w.dueAfter === undefined ? undefined : gt(deadlines.dueAtMs, w.dueAfter),
      w.timeline === undefined ? undefined : eq(timelineInstances.timeline, w.timeline),
    ))
    .orderBy(asc(deadlines.dueAtMs))
    .limit(w.limit)));
  if (walks.length === 0) return [];
  const results = await db.batch(walks as [(typeof walks)[number], ...(typeof walks)[number][]]);
  return results.flat().sort((a, b) => a.d.dueAtMs - b.d.dueAtMs || (a.d.id < b.d.id ? -1 : 1)).slice(0, w.limit);
}

/** When each of the case's deadlines closed (id → instant), for those closed since `since`. */
export async function closedSince(db: Db, caseId: string, since: number): Promise<Map<string, number>> {
  const rows = await db.select({ id: deadlines.id, at: deadlines.closedAtMs }).from(deadlines)
    .innerJoin(timelineInstances, eq(timelineInstances.id, deadlines.instanceId))
    .where(and(eq(timelineInstances.caseId, caseId), gte(deadlines.closedAtMs, since))).all();
  return new Map(rows.map((r) => [r.id, r.at!]));
}
