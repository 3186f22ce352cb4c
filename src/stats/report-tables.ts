/**
 * The report's tables before disclosure control: every count is a named cell
 * with its value, and every relation between cells that a reader could use
 * (a region is the sum of its offices, the months add up to the year) is
 * written down as an equation for `protect`. Pure.
 */
import type { Equation } from "./disclosure.js";

export type ReportKind = "regional" | "national" | "compliance-quarterly" | "compliance-half-yearly";
export interface Counter { month: string; officeId: string; metric: string; value: number }
export interface OfficeInfo { id: string; name: string; kind: string; region: string; jurisdiction: string }

/** A count, by the name it has across every report of the period. */
export interface Count { id: string; n: number }
/** A share or a median, published only when the counts it derives from both are. */
interface Derived { from: [Count, Count]; value: number | undefined; unit: "share" | "median" }
export type RawCell = string | number | Count | Derived;
export interface RawTable { id: string; title: string; columns: { key: string; label: string }[]; rows: Record<string, RawCell>[] }

export class Cells {
  readonly values = new Map<string, number>();
  readonly equations: Equation[] = [];
  count(id: string, n: number): Count {
    this.values.set(id, n);
    return { id, n };
  }
  /** Σ plus = Σ minus, for counts that are (or will be) registered. */
  equal(plus: readonly string[], minus: readonly string[]): void {
    if (plus.length + minus.length > 1) this.equations.push({ plus, minus });
  }
}

export class Sums {
  private readonly byOffice = new Map<string, Map<string, number>>();
  constructor(counters: readonly Counter[]) {
    for (const c of counters) this.add(c.officeId, c.metric, c.value);
  }
  private add(office: string, metric: string, value: number): void {
    let m = this.byOffice.get(office);
    if (m === undefined) this.byOffice.set(office, (m = new Map<string, number>()));
    m.set(metric, (m.get(metric) ?? 0) + value);
  }
  /** The sums of several periods as one (a quarter of its months, a year of its quarters). */
  static of(parts: readonly Sums[]): Sums {
    const out = new Sums([]);
    for (const p of parts) for (const [office, m] of p.byOffice) for (const [metric, v] of m) out.add(office, metric, v);
    return out;
  }
  get(offices: readonly string[], metric: string): number {
    return offices.reduce((s, o) => s + (this.byOffice.get(o)?.get(metric) ?? 0), 0);
  }
  /** metric prefix → bucket → count (e.g. "362-bis:pm-assessment:d" → 12 → 3). */
  histogram(offices: readonly string[], prefix: string): Map<number, number> {
    const h = new Map<number, number>();
    for (const o of offices) {
      for (const [metric, n] of this.byOffice.get(o) ?? []) {
        const rest = metric.startsWith(prefix) ? metric.slice(prefix.length) : "";
        if (/^\d+$/.test(rest)) h.set(Number(rest), (h.get(Number(rest)) ?? 0) + n);
      }
    }
    return h;
  }
  escalated(offices: readonly string[]): number {
    let n = 0;
    for (const o of offices) for (const [metric, v] of this.byOffice.get(o) ?? []) if (metric.endsWith(":escalated")) n += v;
    return n;
  }
}

export function median(h: ReadonlyMap<number, number>): number | undefined {
  const total = [...h.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  let seen = 0;
  for (const k of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(k)!;
    if (seen * 2 >= total) return k;
  }
  return undefined;
}

export const PROGRAMMES = [
  { id: "programme-suspended-sentence", start: "programme.started-suspended-sentence", early: ["suspension.revoked"] },
  { id: "programme-ammonimento", start: "programme.started-ammonimento", early: [] },
  { id: "programme-precautionary", start: "programme.started-precautionary", early: ["measures.ceased"] },
];
export const TERMS = [
  { timeline: "362-bis", stage: "pm-assessment", label: "Valutazione del PM (30 giorni)", unit: "d", owner: "procura" },
  { timeline: "362-bis", stage: "gip-decision", label: "Decisione del GIP (20 giorni)", unit: "d", owner: "gip" },
  { timeline: "384-bis", stage: "validation-request", label: "Richiesta di convalida (48 ore)", unit: "h", owner: "procura" },
  { timeline: "384-bis", stage: "validation-hearing", label: "Udienza di convalida (48 ore)", unit: "h", owner: "gip" },
] as const;
export type Term = (typeof TERMS)[number];
export const TERMS_362 = TERMS.filter((t) => t.timeline === "362-bis");
/** The counts a term's row publishes; "open" are the deadlines already past and still open at the data's date. */
export const TERM_COUNTS = ["met", "late", "open"] as const;

/** The metrics a programme column adds up. */
export const PROGRAMME_METRICS: Record<string, (p: (typeof PROGRAMMES)[number]) => string[]> = {
  started: (p) => [`${p.id}:event:${p.start}`],
  completed: (p) => [`${p.id}:event:programme.ended:positive`],
  negative: (p) => [`${p.id}:event:programme.ended:negative`],
  early: (p) => p.early.map((e) => `${p.id}:event:${e}`),
  attested: (p) => [`${p.id}:event:programme.attendance`],
  weeksMet: (p) => [`${p.id}:attendance:met`],
  weeksMissed: (p) => [`${p.id}:attendance:late`],
  anomalies: (p) => [`${p.id}:event:programme.anomaly`],
};

/** A row of the programmes table: `level` names whose row it is ("o:<office>", "r:<region>"). */
export function programmeRow(cells: Cells, s: Sums, level: string, offices: readonly string[]): Record<string, Count> {
  const row: Record<string, Count> = {};
  for (const [key, metrics] of Object.entries(PROGRAMME_METRICS)) {
    row[key] = cells.count(`${level}|p:${key}`, PROGRAMMES.reduce((n, p) => n + metrics(p).reduce((m, metric) => m + s.get(offices, metric), 0), 0));
  }
  return row;
}

export function termRow(cells: Cells, s: Sums, level: string, label: string, offices: readonly string[], t: Term): Record<string, RawCell> {
  const [met, late, open] = TERM_COUNTS.map((what) => cells.count(`${level}|${t.timeline}:${t.stage}:${what}`, s.get(offices, `${t.timeline}:${t.stage}:${what}`)));
  const total = met!.n + late!.n;
  return {
    office: label, term: t.label, met: met!, late: late!, open: open!,
    onTime: { from: [met!, late!], value: total === 0 ? undefined : met!.n / total, unit: "share" },
    // A number a spreadsheet can compute with; its unit in a column of its own.
    median: { from: [met!, late!], value: median(s.histogram(offices, `${t.timeline}:${t.stage}:${t.unit}`)), unit: "median" },
    unit: t.unit === "d" ? "giorni" : "ore",
  };
}

