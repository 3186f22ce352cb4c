/**
 * CSV as Italian Excel opens it: UTF-8 with a byte-order mark, `;` between
 * fields, CRLF line ends, quotes where a field needs them.
 */
import type { ReportDocument, Table } from "./report.js";

const BOM = "\uFEFF";

function field(v: string | number): string {
  const s = String(v);
  return /[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function tableCsv(t: Table): string {
  const lines = [t.columns.map((c) => field(c.label)).join(";"), ...t.rows.map((r) => t.columns.map((c) => field(r[c.key] ?? "")).join(";"))];
  return BOM + lines.join("\r\n") + "\r\n";
}

export function monthlyCsv(doc: ReportDocument): string {
  const lines = ["Mese;Programmi avviati;Termini art. 362-bis conclusi", ...doc.monthly.map((m) => [m.month, m.programmes, m.deadlines].map(field).join(";"))];
  return BOM + lines.join("\r\n") + "\r\n";
}

/** One file per table, named after it. */
export function csvFiles(doc: ReportDocument): { name: string; text: string }[] {
  return [...doc.tables.map((t) => ({ name: `${t.id}.csv`, text: tableCsv(t) })), { name: "mensile.csv", text: monthlyCsv(doc) }];
}
