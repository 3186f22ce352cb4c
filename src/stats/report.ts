/**
 * The report documents, built from the monthly counters and the office
 * directory. Pure. Counts between 1 and 4 are shown as "<5" so that no
 * person can be singled out; shares and medians need at least 5 cases.
 */
import { formatRomeInstant, romeLocalInstant } from "../engine/rome.js";
import { FIRST_YEAR, LAST_YEAR, daysFromCivil } from "../engine/civil.js";

export type ReportKind = "regional" | "national" | "compliance-quarterly" | "compliance-half-yearly";
export const REPORT_KINDS: readonly ReportKind[] = ["regional", "national", "compliance-quarterly", "compliance-half-yearly"];

export interface Counter { month: string; officeId: string; metric: string; value: number }
export interface OfficeInfo { id: string; name: string; kind: string; region: string; jurisdiction: string }
export type Cell = string | number;
export interface Table { id: string; title: string; columns: { key: string; label: string }[]; rows: Record<string, Cell>[] }
export interface ReportDocument {
  kind: ReportKind;
  period: string;
  scope: string;
  title: string;
  periodLabel: string;
  snapshotAt: string;
  tables: Table[];
  monthly: { month: string; programmes: Cell; deadlines: Cell }[];
  notes: string[];
}

export const SMALL = 5;
export const suppress = (n: number): Cell => (n > 0 && n < SMALL ? "<5" : n);

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

const PROGRAMMES = [
  { id: "programme-suspended-sentence", start: "programme.started-suspended-sentence", early: ["suspension.revoked"] },
  { id: "programme-ammonimento", start: "programme.started-ammonimento", early: [] },
  { id: "programme-precautionary", start: "programme.started-precautionary", early: ["measures.ceased"] },
];
const TERMS = [
  { timeline: "362-bis", stage: "pm-assessment", label: "Valutazione del PM (30 giorni)", unit: "d" },
  { timeline: "362-bis", stage: "gip-decision", label: "Decisione del GIP (20 giorni)", unit: "d" },
  { timeline: "384-bis", stage: "validation-request", label: "Richiesta di convalida (48 ore)", unit: "h" },
  { timeline: "384-bis", stage: "validation-hearing", label: "Udienza di convalida (48 ore)", unit: "h" },
] as const;

class Sums {
  private readonly byOffice = new Map<string, Map<string, number>>();
  constructor(counters: readonly Counter[]) {
    for (const c of counters) {
      const m = this.byOffice.get(c.officeId) ?? new Map<string, number>();
      m.set(c.metric, (m.get(c.metric) ?? 0) + c.value);
      this.byOffice.set(c.officeId, m);
    }
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

const share = (part: number, total: number): Cell =>
  total < SMALL ? "—" : `${(Math.round((part / total) * 1000) / 10).toLocaleString("it-IT")}%`;

function programmeRow(s: Sums, offices: string[]): Record<string, Cell> {
  const sum = (f: (p: (typeof PROGRAMMES)[number]) => string[]) => PROGRAMMES.reduce((n, p) => n + f(p).reduce((m, metric) => m + s.get(offices, metric), 0), 0);
  return {
    started: suppress(sum((p) => [`${p.id}:event:${p.start}`])),
    completed: suppress(sum((p) => [`${p.id}:event:programme.ended:positive`])),
    negative: suppress(sum((p) => [`${p.id}:event:programme.ended:negative`])),
    early: suppress(sum((p) => p.early.map((e) => `${p.id}:event:${e}`))),
    attested: suppress(sum((p) => [`${p.id}:event:programme.attendance`])),
    weeksMet: suppress(sum((p) => [`${p.id}:attendance:met`])),
    weeksMissed: suppress(sum((p) => [`${p.id}:attendance:late`])),
    anomalies: suppress(sum((p) => [`${p.id}:event:programme.anomaly`])),
  };
}

function termRows(s: Sums, label: string, offices: string[], terms: readonly (typeof TERMS)[number][]): Record<string, Cell>[] {
  return terms.map((t) => {
    const met = s.get(offices, `${t.timeline}:${t.stage}:met`);
    const late = s.get(offices, `${t.timeline}:${t.stage}:late`);
    const m = met + late >= SMALL ? median(s.histogram(offices, `${t.timeline}:${t.stage}:${t.unit}`)) : undefined;
    return {
      office: label, term: t.label, met: suppress(met), late: suppress(late), onTime: share(met, met + late),
      // A number a spreadsheet can compute with; its unit in a column of its own.
      median: m ?? "—", unit: t.unit === "d" ? "giorni" : "ore",
    };
  });
}

const PROGRAMME_COLUMNS = [
  ["started", "Avviati"], ["completed", "Conclusi con esito positivo"], ["negative", "Esito negativo"], ["early", "Conclusi anticipatamente"],
  ["attested", "Attestazioni di frequenza"], ["weeksMet", "Settimane regolari"], ["weeksMissed", "Settimane con attestazioni mancanti"], ["anomalies", "Anomalie segnalate"],
] as const;
const TERM_COLUMNS = [["term", "Termine"], ["met", "Nei termini"], ["late", "Oltre i termini"], ["onTime", "Quota nei termini"], ["median", "Mediana"], ["unit", "Unità"]] as const;
const cols = (first: [string, string], rest: readonly (readonly [string, string])[]) => [first, ...rest].map(([key, label]) => ({ key, label }));

const TITLES: Record<ReportKind, string> = {
  regional: "Relazione annuale regionale sui programmi per autori di violenza e sul rispetto dei termini",
  national: "Relazione nazionale sui programmi per autori di violenza e sul rispetto dei termini",
  "compliance-quarterly": "Dati trimestrali sul rispetto dei termini dell'art. 362-bis c.p.p.",
  "compliance-half-yearly": "Relazione semestrale sul rispetto dei termini dell'art. 362-bis c.p.p.",
};

export function buildReport(
  kind: ReportKind, period: string, scope: string, counters: readonly Counter[], directory: readonly OfficeInfo[], snapshotAt: number,
): ReportDocument | undefined {
  const span = periodMonths(kind, period);
  if (span === undefined) return undefined;
  const within = counters.filter((c) => span.months.includes(c.month));
  const s = new Sums(within);
  const inScope = directory.filter((o) =>
    kind === "regional" ? o.region === scope : kind === "national" ? true : kind === "compliance-quarterly" ? o.id === scope : o.jurisdiction === scope);
  const ids = (f: (o: OfficeInfo) => boolean) => inScope.filter(f).map((o) => o.id);
  // The national report has a row per region; the others a row per office.
  const groups: { label: string; offices: (kind: string) => string[] }[] = kind === "national"
    ? [...new Set(inScope.map((o) => o.region).filter(Boolean))].sort().map((r) => ({ label: r, offices: (k) => ids((o) => o.region === r && o.kind === k) }))
    : inScope.map((o) => ({ label: o.name, offices: (k) => (o.kind === k ? [o.id] : []) }));
  const tables: Table[] = [];
  const term362 = TERMS.filter((t) => t.timeline === "362-bis");
  if (kind === "regional" || kind === "national") {
    const unit = kind === "national" ? "Regione" : "Centro";
    tables.push({
      id: "programmi", title: "Programmi per autori di violenza", columns: cols(["office", unit], PROGRAMME_COLUMNS),
      rows: groups.filter((g) => g.offices("cuav").length > 0).map((g) => ({ office: g.label, ...programmeRow(s, g.offices("cuav")) })),
    });
  }
  const ownerOf = (t: (typeof TERMS)[number]) => (t.stage === "pm-assessment" || t.stage === "validation-request" ? "procura" : "gip");
  const termTable = (id: string, title: string, terms: readonly (typeof TERMS)[number][]) => ({
    id, title, columns: cols(["office", kind === "national" ? "Regione" : "Ufficio"], TERM_COLUMNS),
    rows: groups.flatMap((g) => terms.filter((t) => g.offices(ownerOf(t)).length > 0).flatMap((t) => termRows(s, g.label, g.offices(ownerOf(t)), [t]))),
  });
  tables.push(termTable("362-bis", "Rispetto dei termini dell'art. 362-bis c.p.p.", term362));
  if (kind === "compliance-half-yearly") {
    tables.push({ id: "distretto", title: "Totale del distretto", columns: cols(["office", "Distretto"], TERM_COLUMNS),
      rows: term362.flatMap((t) => termRows(s, scope, ids((o) => o.kind === ownerOf(t)), [t])) });
  }
  if (kind === "regional" || kind === "national") {
    tables.push(termTable("384-bis", "Rispetto dei termini dell'art. 384-bis c.p.p.", TERMS.filter((t) => t.timeline === "384-bis")));
    tables.push({
      id: "segnalazioni", title: "Segnalazioni per ufficio", columns: cols(["office", kind === "national" ? "Regione" : "Ufficio"], [["escalations", "Segnalazioni inviate"]]),
      rows: (kind === "national" ? groups.map((g) => ({ label: g.label, o: ids((x) => x.region === g.label) })) : inScope.map((o) => ({ label: o.name, o: [o.id] })))
        .map((r) => ({ office: r.label, escalations: s.escalated(r.o) })).filter((r) => r.escalations > 0).map((r) => ({ ...r, escalations: suppress(r.escalations) })),
    });
  }
  const all = inScope.map((o) => o.id);
  const monthly = span.months.map((month) => {
    const m = new Sums(within.filter((c) => c.month === month));
    const programmes = PROGRAMMES.reduce((n, p) => n + m.get(all, `${p.id}:event:${p.start}`), 0);
    const deadlines = term362.reduce((n, t) => n + m.get(all, `${t.timeline}:${t.stage}:met`) + m.get(all, `${t.timeline}:${t.stage}:late`), 0);
    return { month, programmes: suppress(programmes), deadlines: suppress(deadlines) };
  });
  return {
    kind, period, scope, title: TITLES[kind], periodLabel: span.label, snapshotAt: formatRomeInstant(snapshotAt), tables, monthly,
    notes: [
      "I valori compresi tra 1 e 4 sono indicati come «<5» perché nessuna persona sia identificabile; quote e mediane richiedono almeno 5 casi («—»).",
      "I dati sono conteggiati al momento dell'evento e aggregati per mese; non contengono riferimenti ai procedimenti.",
    ],
  };
}
