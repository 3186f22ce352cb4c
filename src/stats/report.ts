/**
 * The report documents, built from the monthly counters and the office
 * directory. Pure. Every count passes disclosure control (`protect`) together
 * with the counts of every other report of the year published before it or
 * beside it, so that no count from 1 to 4 can be worked back.
 */
import { formatRomeInstant, romeLocalInstant } from "../engine/rome.js";
import { FIRST_YEAR, LAST_YEAR, daysFromCivil } from "../engine/civil.js";
import { SMALL, type Visibility, protect } from "./disclosure.js";
import { type Counter, type OfficeInfo, type RawCell, type ReportKind, Cells, Sums } from "./report-tables.js";
import { type Raw, quarterLinks, rawReport } from "./report-raw.js";

export type { Counter, OfficeInfo } from "./report-tables.js";
export { median } from "./report-tables.js";

export type { ReportKind } from "./report-tables.js";
export const REPORT_KINDS: readonly ReportKind[] = ["regional", "national", "compliance-quarterly", "compliance-half-yearly"];

export type Cell = string | number;
export interface Table { id: string; title: string; columns: { key: string; label: string }[]; rows: Record<string, Cell>[] }
export interface ReportDocument {
  kind: ReportKind;
  period: string;
  scope: string;
  title: string;
  periodLabel: string;
  snapshotAt: string;
  /** The period had not ended at the data's date: the figures can still change. */
  provisional: boolean;
  tables: Table[];
  monthly: { month: string; programmes: Cell; deadlines: Cell }[];
  notes: string[];
}

/** How a count a reader must not work back is written. */
export const SMALL_MARK = "<5";
export const HIDDEN_MARK = "riservato";

/** The months a period covers, or undefined when the period is malformed. */
export function periodMonths(kind: ReportKind, period: string): { months: string[]; label: string } | undefined {
  const span = (y: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${y}-${String(from + i).padStart(2, "0")}`);
  // Years the engine can date (Rome's summer-time rule from 1996): "0000" is no period.
  const year = Number(period.slice(0, 4));
  if (!(year >= FIRST_YEAR && year < LAST_YEAR)) return undefined;
  let m = /^(\d{4})$/.exec(period);
  if ((kind === "regional" || kind === "national") && m) return { months: span(+m[1]!, 1, 12), label: `anno ${m[1]}` };
  m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (kind === "compliance-quarterly" && m) return { months: span(+m[1]!, +m[2]! * 3 - 2, +m[2]! * 3), label: `${m[2]}° trimestre ${m[1]}` };
  m = /^(\d{4})-H([12])$/.exec(period);
  if (kind === "compliance-half-yearly" && m) return { months: span(+m[1]!, +m[2]! * 6 - 5, +m[2]! * 6), label: `${m[2]}° semestre ${m[1]}` };
  return undefined;
}

/**
 * The first instant after the period (Rome midnight of the day after its last month): before it the
 * data can still change, and a report of the period is provisional and cannot be transmitted.
 */
export function periodEnd(kind: ReportKind, period: string): number | undefined {
  const last = periodMonths(kind, period)?.months.at(-1);
  if (last === undefined) return undefined;
  const [y, m] = last.split("-").map(Number) as [number, number];
  return romeLocalInstant(m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1), 0);
}


const TITLES: Record<ReportKind, string> = {
  regional: "Relazione annuale regionale sui programmi per autori di violenza e sul rispetto dei termini",
  national: "Relazione nazionale sui programmi per autori di violenza e sul rispetto dei termini",
  "compliance-quarterly": "Dati trimestrali sul rispetto dei termini dell'art. 362-bis c.p.p.",
  "compliance-half-yearly": "Relazione semestrale sul rispetto dei termini dell'art. 362-bis c.p.p.",
};

/** To whom the law says each report goes, and where it says so. */
export const RECIPIENTS: Record<ReportKind, { to: string; basis: string }> = {
  regional: { to: "al Ministro delegato per le pari opportunità", basis: "proposta di legge del 2020 (Senato), art. 1, comma 5" },
  national: { to: "alle Camere, dal Ministro delegato per le pari opportunità", basis: "proposta di legge del 2020 (Senato), art. 1, comma 6" },
  "compliance-quarterly": { to: "al Procuratore generale presso la Corte d'appello", basis: "art. 127, comma 1-bis, disp. att. c.p.p." },
  "compliance-half-yearly": { to: "al Procuratore generale presso la Corte di cassazione", basis: "art. 127, comma 1-bis, disp. att. c.p.p." },
};

const NOTES = [
  `I valori da 1 a 4 sono indicati come «${SMALL_MARK}» perché nessuna persona sia identificabile. «${HIDDEN_MARK}» indica un valore nascosto perché un valore «${SMALL_MARK}» non si possa ricavare per differenza da totali, righe, colonne, serie mensili o dalle altre relazioni dello stesso anno — trimestrali, semestrali, regionali e nazionale (soppressione secondaria). Quote e mediane sono indicate solo quando tutti i valori da cui derivano sono pubblicati («—»).`,
  "«Scadute e ancora aperte alla data dei dati»: termini scaduti nel periodo per i quali l'atto non risultava ancora registrato alla data di aggiornamento dei dati.",
  "I dati sono conteggiati al momento dell'evento e aggregati per mese; non contengono riferimenti ai procedimenti.",
];

function show(cell: RawCell, seen: ReadonlyMap<string, Visibility>): Cell {
  if (typeof cell !== "object") return cell;
  if ("id" in cell) {
    const v = seen.get(cell.id);
    return v === "small" ? SMALL_MARK : v === "hidden" ? HIDDEN_MARK : cell.n;
  }
  const [a, b] = cell.from;
  if (cell.value === undefined || a.n + b.n < SMALL || seen.get(a.id) !== "shown" || seen.get(b.id) !== "shown") return "—";
  return cell.unit === "share" ? `${(Math.round(cell.value * 1000) / 10).toLocaleString("it-IT")}%` : cell.value;
}

/**
 * The reports of a year in the order they are published, each step with every report of its
 * period a reader can set side by side: the Procure's quarters, the districts' half-years, then
 * every region's annual report and the national one. A half-year is the sum of its quarters and a
 * year of its half-years, office by office, so later steps are protected with the earlier ones in
 * view — and the earlier ones as they were, never changed by a later step.
 */
function stepsTo(kind: ReportKind, period: string, directory: readonly OfficeInfo[]): { kind: ReportKind; period: string; family: [ReportKind, string][] }[] {
  const y = period.slice(0, 4);
  const quarter = (q: number) => ({ kind: "compliance-quarterly" as const, period: `${y}-Q${q}`, family: directory.filter((o) => o.kind === "procura").map((o): [ReportKind, string] => ["compliance-quarterly", o.id]) });
  const half = (h: number) => ({ kind: "compliance-half-yearly" as const, period: `${y}-H${h}`, family: [...new Set(directory.map((o) => o.jurisdiction).filter(Boolean))].sort().map((d): [ReportKind, string] => ["compliance-half-yearly", d]) });
  const year = { kind: "national" as const, period: y, family: [...[...new Set(directory.map((o) => o.region).filter(Boolean))].sort().map((r): [ReportKind, string] => ["regional", r]), ["national", "IT"] as [ReportKind, string]] };
  const chain = [quarter(1), quarter(2), half(1), quarter(3), quarter(4), half(2), year];
  const last = kind === "regional" || kind === "national" ? chain.length - 1 : chain.findIndex((c) => c.period === period);
  return chain.slice(0, last + 1);
}

/** The periods a count of `period` is the sum of. */
const PARTS: Record<string, string[]> = { H1: ["Q1", "Q2"], H2: ["Q3", "Q4"], Y: ["H1", "H2"] };

export function buildReport(
  kind: ReportKind, period: string, scope: string, counters: readonly Counter[], directory: readonly OfficeInfo[], snapshotAt: number,
): ReportDocument | undefined {
  const span = periodMonths(kind, period);
  if (span === undefined) return undefined;
  const cells = new Cells();
  // What earlier steps published stays as it was: later steps may only hide counts of their own.
  const fixed = new Map<string, Visibility>();
  let raw: Raw | undefined;
  // Each month's counters once, and each month's sums once: the steps share their months.
  const byMonth = new Map<string, Counter[]>();
  for (const c of counters) {
    const list = byMonth.get(c.month);
    if (list === undefined) byMonth.set(c.month, [c]);
    else list.push(c);
  }
  const monthSums = new Map<string, Sums>();
  const sumsOf = (month: string) => monthSums.get(month) ?? monthSums.set(month, new Sums(byMonth.get(month) ?? [])).get(month)!;
  // A period's sums from its quarters', a quarter's from its months'.
  const spans = new Map<string, Sums>();
  const spanOf = (months: readonly string[]): Sums => {
    const key = months.join();
    let s = spans.get(key);
    if (s === undefined) {
      s = months.length <= 3 ? Sums.of(months.map(sumsOf)) : Sums.of(Array.from({ length: months.length / 3 }, (_, i) => spanOf(months.slice(i * 3, i * 3 + 3))));
      spans.set(key, s);
    }
    return s;
  };
  for (const step of stepsTo(kind, period, directory)) {
    const months = periodMonths(step.kind, step.period)!.months;
    const sums = { period: step.period, s: spanOf(months), months: months.map((month) => ({ month, s: sumsOf(month) })) };
    const family = [...step.family];
    if (step.period === period && !family.some(([k, sc]) => k === kind && sc === scope)) family.push([kind, scope]);
    for (const [k, sc] of family) {
      const r = rawReport(cells, k, sc, sums, directory);
      if (k === kind && sc === scope && step.period === period) raw = r;
    }
    // An office's count over a half-year is the sum of its quarters; over the year, of its half-years.
    const key = /^\d{4}$/.test(step.period) ? "Y" : step.period.slice(5);
    for (const id of cells.values.keys()) {
      if (!id.startsWith(`${step.period}:o:`)) continue;
      const parts = (PARTS[key] ?? []).map((p) => `${step.period.slice(0, 4)}-${p}${id.slice(step.period.length)}`);
      if (parts.length > 0 && parts.every((x) => cells.values.has(x))) cells.equal([id], parts);
    }
    if (key === "Y") for (const id of quarterLinks(cells, step.period, counters, directory)) fixed.set(id, "hidden");
    for (const [id, v] of protect(cells.values, cells.equations, fixed)) fixed.set(id, v);
  }
  const end = periodEnd(kind, period)!;
  return {
    kind, period, scope, title: TITLES[kind], periodLabel: span.label, snapshotAt: formatRomeInstant(snapshotAt), provisional: snapshotAt < end,
    tables: raw!.tables.map((t) => ({ ...t, rows: t.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, show(v, fixed)]))) })),
    monthly: raw!.monthly.map((m) => ({ month: m.month, programmes: show(m.programmes, fixed), deadlines: show(m.deadlines, fixed) })),
    notes: NOTES,
  };
}
