/**
 * Lists that span districts (a user's offices in two of them, an
 * administrator's view): each district's database answers for its own
 * offices at once, the answers are merged into one page, and each district
 * audits the cases it showed: the audit stays with the cases it speaks of.
 */
import { type AuditEntry, audit } from "../db/audit.js";
import { openDeadlinesOf } from "../db/cases.js";
import type { Directory } from "../db/directory.js";
import { officeDbs } from "../db/districts.js";
import type { Bindings } from "../env.js";

type OpenRow = Awaited<ReturnType<typeof openDeadlinesOf>>[number];

/** The nearest `limit` open deadlines of these offices, soonest first; `seen` is audited as `action` with the cases shown. */
export async function openDeadlinesAcross(
  env: Bindings, dir: Directory, officeIds: readonly string[], timeline: string | undefined, limit: number,
  seen: Omit<AuditEntry, "caseId" | "detail">, now: number,
): Promise<OpenRow[]> {
  const parts = await Promise.all(officeDbs(env, dir, officeIds).map(async ({ db, offices }) => ({
    db, found: await openDeadlinesOf(db, offices === "all" ? [] : offices, timeline, limit),
  })));
  const rows = parts.flatMap((x) => x.found).sort((a, b) => a.d.dueAtMs - b.d.dueAtMs).slice(0, limit);
  const shown = new Set(rows);
  await Promise.all(parts.map(({ db, found }) => audit(db, {
    ...seen, caseId: null, detail: { cases: [...new Set(found.filter((r) => shown.has(r)).map((r) => r.caseId))] },
  }, now)));
  return rows;
}
