/**
 * Lists that span districts (a user's offices in two of them, an
 * administrator's view): each district's database answers for its own
 * offices at once, the answers are merged into one page, and each district
 * audits the cases it showed: the audit stays with the cases it speaks of.
 */
import { type AuditEntry, audit } from "../../db/audit.js";
import { type DeadlineWalk, deadlinesOfOffices } from "../../db/cases.js";
import type { Directory } from "../../db/directory.js";
import { legacyCentral, officeDbs } from "../../db/districts.js";
import { escalationsTo } from "../../db/escalations.js";
import type { Db } from "../../db/client.js";
import type { Bindings } from "../../env.js";

/**
 * Several databases' answers as one page: merged by `order`, the first `limit`; each database
 * then audits, as `entry` says, the rows of its own that the page shows.
 */
export async function mergeAudited<T>(
  parts: readonly { db: Db; found: readonly T[] }[], order: (a: T, b: T) => number, limit: number,
  entry: (mine: T[]) => Omit<AuditEntry, "caseId">, now: number,
): Promise<T[]> {
  const rows = parts.flatMap((x) => x.found).sort(order).slice(0, limit);
  const shown = new Set(rows);
  await Promise.all(parts.map(({ db, found }) => audit(db, { ...entry(found.filter((r) => shown.has(r))), caseId: null }, now)));
  return rows;
}

type Row = Awaited<ReturnType<typeof deadlinesOfOffices>>[number];
type Part = ReturnType<typeof officeDbs>[number];

/** While the move from the single layout is pending, the central database answers for every office too. */
export async function withLegacy(env: Bindings, parts: Part[], now: number): Promise<Part[]> {
  const old = await legacyCentral(env, now);
  if (old === null || parts.some((x) => x.db.district === old.district)) return parts;
  const offices = [...new Set(parts.flatMap((x) => (x.offices === "all" ? [] : x.offices)))];
  return [...parts, { db: old, offices: parts.some((x) => x.offices === "all") ? "all" : offices }];
}

/**
 * The deadlines of these offices along `w`, soonest first, from every database that holds them; each
 * database audits as `seen.action` the cases it showed (with `seen.detail`, if any, beside them).
 */
export async function deadlinesAcross(
  env: Bindings, dir: Directory, officeIds: readonly string[], w: DeadlineWalk,
  seen: Omit<AuditEntry, "caseId" | "detail"> & { detail?: Record<string, unknown> }, now: number,
): Promise<Row[]> {
  const parts = await Promise.all((await withLegacy(env, officeDbs(env, dir, officeIds), now)).map(async ({ db, offices }) => ({
    db, found: await deadlinesOfOffices(db, offices === "all" ? [] : offices, w),
  })));
  const rows = await mergeAudited(parts, (a, b) => a.d.dueAtMs - b.d.dueAtMs || (a.d.id < b.d.id ? -1 : 1), w.limit, (mine) => ({
    ...seen, detail: { ...seen.detail, cases: [...new Set(mine.map((r) => r.caseId))] },
  }), now);
  return rows;
}

/** The nearest `limit` open deadlines of these offices (the dashboard, the calendar feed). */
export function openDeadlinesAcross(
  env: Bindings, dir: Directory, officeIds: readonly string[], timeline: string | undefined, limit: number,
  seen: Omit<AuditEntry, "caseId" | "detail"> & { detail?: Record<string, unknown> }, now: number,
): Promise<Row[]> {
  return deadlinesAcross(env, dir, officeIds, { statuses: ["open"], timeline, limit }, seen, now);
}

/** The escalations sent to these offices since `since`, newest first, from every database that holds them; each audits what it showed. */
export async function escalationsAcross(
  env: Bindings, dir: Directory, officeIds: readonly string[], since: number, limit: number,
  seen: Omit<AuditEntry, "caseId" | "detail">, now: number,
) {
  const parts = await Promise.all((await withLegacy(env, officeDbs(env, dir, officeIds), now)).map(async ({ db, offices }) => ({
    db, found: await escalationsTo(db, offices === "all" ? [] : offices, since, limit),
  })));
  return mergeAudited(parts, (a, b) => (b.sentAtMs ?? 0) - (a.sentAtMs ?? 0), limit, (mine) => ({
    ...seen, detail: { escalations: mine.length, cases: [...new Set(mine.map((r) => r.caseId))] },
  }), now);
}
