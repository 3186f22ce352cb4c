/**
 * CSV as Italian Excel opens it: UTF-8 with a byte-order mark, `;` between
 * fields, CRLF line ends, quotes where a field needs them.
 */
import type { ReportDocument, Table } from "./report.js";

const BOM = "\uFEFF";

/**
 * One cell. Text that a spreadsheet would read as a formula (= + - @, or a
 * leading tab or carriage return) gets a leading apostrophe, as OWASP
 * advises against CSV injection: office and region names come from the
 * directory, not from us. Numbers stay numbers, with the decimal comma
 * Italian spreadsheets read (a "." would turn 12.5 into a date or text).
 */
export function csvCell(v: string | number): string {
  const s = typeof v === "number" ? String(v).replace(".", ",") : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}


export function tableCsv(t: Table): string {
  const lines = [t.columns.map((c) => csvCell(c.label)).join(";"), ...t.rows.map((r) => t.columns.map((c) => csvCell(r[c.key] ?? "")).join(";"))];
  return BOM + lines.join("\r\n") + "\r\n";
}

export function monthlyCsv(doc: ReportDocument): string {
  const lines = ["Mese;Programmi avviati;Termini art. 362-bis conclusi", ...doc.monthly.map((m) => [m.month, m.programmes, m.deadlines].map(csvCell).join(";"))];
  return BOM + lines.join("\r\n") + "\r\n";
}

/** One file per table, named after it. */
export function csvFiles(doc: ReportDocument): { name: string; text: string }[] {
  return [...doc.tables.map((t) => ({ name: `${t.id}.csv`, text: tableCsv(t) })), { name: "mensile.csv", text: monthlyCsv(doc) }];
}
