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


/**
 * A provisional report (its period still running) says so on every row, in a last column "Dati":
 * a table copied out of the file, or the file passed on, cannot be taken for final figures.
 */
function provisional(doc: Pick<ReportDocument, "provisional" | "snapshotAt"> | undefined): string | undefined {
  if (doc?.provisional !== true) return undefined;
  const [, y, m, d, hm] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(doc.snapshotAt)!;
  return `provvisori al ${d}/${m}/${y} ${hm}`;
}

export function tableCsv(t: Table, doc?: Pick<ReportDocument, "provisional" | "snapshotAt">): string {
  const mark = provisional(doc);
  const extra = (cells: string[], v: string) => (mark === undefined ? cells : [...cells, csvCell(v)]);
  const lines = [
    extra(t.columns.map((c) => csvCell(c.label)), "Dati").join(";"),
    ...t.rows.map((r) => extra(t.columns.map((c) => csvCell(r[c.key] ?? "")), mark ?? "").join(";")),
  ];
  return BOM + lines.join("\r\n") + "\r\n";
}

function monthlyCsv(doc: ReportDocument): string {
  const table: Table = {
    id: "mensile", title: "Volumi mensili",
    columns: [{ key: "month", label: "Mese" }, { key: "programmes", label: "Programmi avviati" }, { key: "deadlines", label: "Termini art. 362-bis conclusi" }],
    rows: doc.monthly,
  };
  return tableCsv(table, doc);
}

/** One file per table, named after it. */
export function csvFiles(doc: ReportDocument): { name: string; text: string }[] {
  const tables = doc.tables.map((t) => ({ name: `${t.id}.csv`, text: tableCsv(t, doc) }));
  return doc.monthly.length === 0 ? tables : [...tables, { name: "mensile.csv", text: monthlyCsv(doc) }];
}
