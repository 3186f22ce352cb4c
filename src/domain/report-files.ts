/** Generating a report version, rendering it, and filing it (which closes its obligation). */
import { eq } from "drizzle-orm";
import { sha256Hex } from "../auth/bearer.js";
import type { Principal } from "../auth/principal.js";
import { audit, auditInsert } from "../db/audit.js";
import { ownedCase } from "../db/cases.js";
import type { Db } from "../db/client.js";
import { countersAcross, overdueOpenAcross } from "../db/counters.js";
import { type StoredReport, findReport } from "../db/reports.js";
import { offices, reports } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import { csvFiles, tableCsv } from "../stats/csv.js";
import { reportPdf } from "../stats/pdf.js";
import { type ReportDocument, type ReportKind, buildReport, periodEnd, periodMonths } from "../stats/report.js";
import { TERMS } from "../stats/report-tables.js";
import { daysFromCivil, italianDate } from "../engine/civil.js";
import { romeDay, romeLocalInstant } from "../engine/rome.js";
import { zip } from "../stats/zip.js";
import { quarterEnds } from "../timelines/quarters.js";
import { getTimeline } from "../timelines/catalog.js";
import { obligationRef } from "../timelines/reporting.js";
import { type ApplyOptions, applyEvent } from "./apply-event.js";
import type { Stmt } from "./changes.js";
import { directory } from "../db/directory.js";
import { type OutboundFact, outboundRows } from "./outbound.js";

/**
 * A new version, from the counters of `districts` (every district database;
 * the single database by default), stored with the national versions in `db`.
 */
export async function generateReport(
  db: Db, kind: ReportKind, period: string, scope: string, actor: string, now: number, districts: readonly Db[] = [db],
): Promise<StoredReport> {
  const span = periodMonths(kind, period);
  if (span === undefined) throw new ApiError("invalid_parameter", `period: periodo ${period} non valido per ${kind} (es. 2026, 2026-Q1, 2026-H1)`, { parameter: "period" });
  const [y, m] = span.months[0]!.split("-").map(Number) as [number, number];
  const counters = [
    ...(await countersAcross(districts, span.months[0]!, span.months[span.months.length - 1]!)),
    ...(await overdueOpenAcross(districts, TERMS, romeLocalInstant(daysFromCivil(y, m, 1), 0), periodEnd(kind, period)!, now)),
  ];
  const directory = await db.select({ id: offices.id, name: offices.name, kind: offices.kind, region: offices.region, jurisdiction: offices.jurisdiction }).from(offices).all();
  const doc = buildReport(kind, period, scope, counters, directory, now)!;
  const document = JSON.stringify(doc);
  const previous = await findReport(db, kind, period, scope);
  const row = {
    id: crypto.randomUUID(), kind, period, scope, version: (previous?.version ?? 0) + 1, snapshotAt: now,
    checksum: await sha256Hex(document), document, generatedBy: actor,
  };
  await db.insert(reports).values(row).run();
  await audit(db, { actor, action: "report.generated", caseId: null, requestId: null, detail: { kind, period, scope, version: row.version, checksum: row.checksum } }, now);
  return { ...row, submittedAt: null, submittedBy: null };
}

/** csv with a table: that table; csv without one (as before) or zip: every table in one ZIP. */
export type Format = "json" | "csv" | "zip" | "pdf";

export function render(r: StoredReport, format: Format, table?: string): { body: string | Uint8Array; type: string; filename: string } {
  const doc = JSON.parse(r.document) as ReportDocument;
  const base = `termini-${r.kind}-${r.period}-${r.scope}-v${r.version}`;
  if (format === "pdf") return { body: reportPdf(doc, r.checksum), type: "application/pdf", filename: `${base}.pdf` };
  if (format === "json") {
    return { body: JSON.stringify({ ...doc, version: r.version, checksum: r.checksum, submittedAt: r.submittedAt }), type: "application/json", filename: `${base}.json` };
  }
  if (table !== undefined && format === "csv") {
    const t = doc.tables.find((x) => x.id === table);
    if (t === undefined) throw new ApiError("invalid_parameter", `table: tabelle disponibili: ${doc.tables.map((x) => x.id).join(", ")}`, { parameter: "table" });
    return { body: tableCsv(t), type: "text/csv; charset=utf-8", filename: `${base}-${t.id}.csv` };
  }
  return { body: zip(csvFiles(doc), r.snapshotAt), type: "application/zip", filename: `${base}-csv.zip` };
}

/** The fixed-date obligation a report answers: its timeline, office and nominal due date. */
export async function obligationOf(db: Db, kind: ReportKind, period: string, scope: string, setting?: string) {
  const year = Number(period.slice(0, 4));
  const quarters = quarterEnds(setting);
  const all = await db.select().from(offices).all();
  switch (kind) {
    case "regional": return { timeline: "regional-report", office: all.find((o) => o.kind === "regione" && o.region === scope), due: `${year + 1}-03-30` };
    case "national": return { timeline: "parliament-report", office: all.find((o) => o.kind === "dipartimento-po"), due: `${year + 1}-06-30` };
    case "compliance-quarterly": return { timeline: "compliance-quarterly", office: all.find((o) => o.id === scope), due: `${year}-${quarters[Number(period.slice(6)) - 1]}` };
    case "compliance-half-yearly": return { timeline: "compliance-half-yearly", office: all.find((o) => o.kind === "pg-appello" && o.jurisdiction === scope), due: `${year}-${quarters[Number(period.slice(6)) * 2 - 1]}` };
  }
}

/** The API address of a report version, scoped as the report is. */
function reportLink(appBaseUrl: string, r: StoredReport): string {
  const param = { regional: "region", national: undefined, "compliance-quarterly": "office", "compliance-half-yearly": "district" }[r.kind as ReportKind];
  const scope = param === undefined ? "" : `&${param}=${encodeURIComponent(r.scope)}`;
  return `${appBaseUrl}/api/v1/reports/${r.kind}/${r.period}?version=${r.version}${scope}`;
}

/** report.published, to the filing office's subscriptions and those of the offices above it. */
async function publishedRows(db: Db, r: StoredReport, officeId: string, appBaseUrl: string, now: number): Promise<Stmt[]> {
  const dir = await directory(db);
  const fact: OutboundFact<"report.published"> = {
    kind: "report.published", key: r.id, caseId: null, instanceId: null, offices: () => dir.withSuperiors([officeId]),
    data: () => ({ report: { kind: r.kind, period: r.period, scope: r.scope, version: r.version, checksum: r.checksum }, link: reportLink(appBaseUrl, r) }),
  };
  return (await outboundRows(db, dir, [fact], now)).stmts;
}

/** The data of a period still running can change: only a final report is filed; before, a refusal that says from when. */
export function assertPeriodEnded(kind: ReportKind, period: string, now: number): void {
  const end = periodEnd(kind, period);
  if (end !== undefined && now < end) {
    throw new ApiError("period_not_ended", `Il periodo (${periodMonths(kind, period)!.label}) non è ancora concluso: la relazione si potrà trasmettere dal ${italianDate(romeDay(end))}, con i dati definitivi`);
  }
}

/** The responsible office files its report: the version is marked submitted and its obligation closes. */
export async function submitReport(
  db: Db, p: Principal, r: StoredReport, now: number, opts: Omit<ApplyOptions, "idempotencyKey" | "now">, quarterEnds?: string,
  caseDbOf: (district: string) => Db = () => db,
): Promise<{ closed: string | null; wake: Awaited<ReturnType<typeof applyEvent>>["wake"] | null; db: Db }> {
  const ob = await obligationOf(db, r.kind as ReportKind, r.period, r.scope, quarterEnds);
  if (p.role !== "admin" && (ob.office === undefined || !p.offices.has(ob.office.id))) {
    throw new ApiError("forbidden", "Solo l'ufficio tenuto alla relazione può trasmetterla");
  }
  if (r.submittedAt !== null) throw new ApiError("stage_closed", `La versione ${r.version} è già stata trasmessa`);
  assertPeriodEnded(r.kind as ReportKind, r.period, now);
  // The obligation and its outbound event live in the filing office's district; the version with the national ones.
  const cases = ob.office === undefined ? db : caseDbOf(ob.office.jurisdiction);
  const mark: Stmt[] = [
    db.update(reports).set({ submittedAt: now, submittedBy: p.id }).where(eq(reports.id, r.id)),
    auditInsert(db, { actor: p.id, action: "report.submitted", caseId: null, requestId: opts.requestId, detail: { kind: r.kind, period: r.period, scope: r.scope, version: r.version, checksum: r.checksum } }, now),
  ];
  const published = opts.appBaseUrl !== undefined && ob.office !== undefined ? await publishedRows(cases, r, ob.office.id, opts.appBaseUrl, now) : [];
  // One database: marking the version and closing the obligation are one batch. Two: the obligation
  // closes first (under the version's key, so a retry replays it), then the version is marked; a
  // failure in between leaves the version unsubmitted, and submitting again completes it.
  const together = cases.$client === db.$client;
  const inCaseBatch = together ? [...mark, ...published] : published;
  let outcome: { closed: string | null; wake: Awaited<ReturnType<typeof applyEvent>>["wake"] | null } = { closed: null, wake: null };
  const schedule = getTimeline(ob.timeline)?.schedule;
  const ref = ob.office === undefined || schedule === undefined ? undefined : obligationRef(schedule, ob.due);
  if (ref !== undefined && (await ownedCase(cases, ob.office!.id, ref)) !== undefined) {
    try {
      // The officer acts for the office the obligation is on (checked above), which the
      // obligation's own record involves; it is not a criminal case.
      const actingOffice: Principal = { ...p, role: p.role === "admin" ? "admin" : "staff" };
      const { wake } = await applyEvent(cases, actingOffice, { type: "report.submitted", caseRef: ref, occurredAt: new Date(now).toISOString(), data: {} }, {
        ...opts, idempotencyKey: `report:${r.id}`, now, extra: () => inCaseBatch, caseHint: { office: ob.office!.id },
      });
      if (together) return { closed: ref, wake, db: cases };
      outcome = { closed: ref, wake };
    } catch (e) {
      // The obligation was already closed (an earlier version was filed): the version is still marked.
      if (!(e instanceof ApiError) || e.code !== "no_running_timeline") throw e;
    }
  }
  if (outcome.closed === null && !together && published.length > 0) await cases.batch(published as [Stmt, ...Stmt[]]);
  await db.batch((together && outcome.closed === null ? inCaseBatch : mark) as [Stmt, ...Stmt[]]);
  return { ...outcome, db: cases };
}
