/** Generating a report version and rendering it. */
import { sha256Hex } from "../../lib/digest.js";
import { audit } from "../../db/audit.js";
import type { Db } from "../../db/client.js";
import { countersAcross, overdueOpenAcross } from "../../db/counters.js";
import { type StoredReport, findReport } from "../../db/reports.js";
import { offices, reports } from "../../db/schema.js";
import { DomainFailure } from "../failure.js";
import { csvFiles, tableCsv } from "../../stats/csv.js";
import { type PdfFonts, reportPdf } from "../../stats/pdf.js";
import { type ReportDocument, type ReportKind, buildReport, periodEnd, periodMonths } from "../../stats/report.js";
import { TERMS } from "../../stats/report-tables.js";
import { daysFromCivil } from "../../engine/civil.js";
import { romeLocalInstant } from "../../engine/rome.js";
import { zip } from "../../stats/zip.js";

/**
 * A new version, from the counters of `districts` (every district database;
 * the single database by default), stored with the national versions in `db`.
 */
export async function generateReport(
  db: Db, kind: ReportKind, period: string, scope: string, actor: string, now: number, districts: readonly Db[] = [db],
): Promise<StoredReport> {
  const span = periodMonths(kind, period);
  if (span === undefined) throw new DomainFailure("invalid_parameter", `period: periodo ${period} non valido per ${kind} (es. 2026, 2026-Q1, 2026-H1)`, { parameter: "period" });
  // From January: the year's earlier quarters and half-years are protected with this report in view.
  const y = Number(period.slice(0, 4));
  const counters = [
    ...(await countersAcross(districts, `${y}-01`, span.months[span.months.length - 1]!)),
    ...(await overdueOpenAcross(districts, TERMS, romeLocalInstant(daysFromCivil(y, 1, 1), 0), periodEnd(kind, period)!, now)),
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
  return { ...row, submittedAt: null, submittedBy: null, withdrawnAt: null, withdrawnBy: null };
}

/** csv with a table: that table; csv without one (as before) or zip: every table in one ZIP. */
export type Format = "json" | "csv" | "zip" | "pdf";

/** What a PDF needs beyond the document: its fonts and the administration named on its cover. */
export interface PdfSetting { fonts: PdfFonts; administration?: string }

export function render(r: StoredReport, format: Format, table?: string, pdf?: PdfSetting): { body: string | Uint8Array; type: string; filename: string } {
  // Versions stored before the flag existed say it by their dates.
  const doc = { ...(JSON.parse(r.document) as ReportDocument), provisional: r.snapshotAt < periodEnd(r.kind as ReportKind, r.period)! };
  // A provisional version says so in its name too, so that a file passed on is not taken for the final one.
  const base = `termini-${r.kind}-${r.period}-${r.scope}-v${r.version}${doc.provisional ? "-provvisoria" : ""}`;
  if (format === "pdf") {
    if (pdf === undefined) throw new Error("render: a PDF needs its fonts");
    return { body: reportPdf(doc, r.checksum, pdf.fonts, pdf.administration), type: "application/pdf", filename: `${base}.pdf` };
  }
  if (format === "json") {
    return { body: JSON.stringify({ ...doc, version: r.version, checksum: r.checksum, submittedAt: r.submittedAt }), type: "application/json", filename: `${base}.json` };
  }
  if (table !== undefined && format === "csv") {
    const t = doc.tables.find((x) => x.id === table);
    if (t === undefined) throw new DomainFailure("invalid_parameter", `table: tabelle disponibili: ${doc.tables.map((x) => x.id).join(", ")}`, { parameter: "table" });
    return { body: tableCsv(t, doc), type: "text/csv; charset=utf-8", filename: `${base}-${t.id}.csv` };
  }
  return { body: zip(csvFiles(doc), r.snapshotAt), type: "application/zip", filename: `${base}-csv.zip` };
}

