/**
 * The report documents, built from the monthly counters and the office
 * directory. Pure. Every count passes disclosure control (`protect`) together
 * with the counts of every other report of the same period, so that no count
 * from 1 to 4 can be worked back from what is published.
 */
import { formatRomeInstant, romeLocalInstant } from "../engine/rome.js";
import { FIRST_YEAR, LAST_YEAR, daysFromCivil } from "../engine/civil.js";
import { SMALL, type Visibility, protect } from "./disclosure.js";
import {
  type Count, type Counter, type OfficeInfo, type RawCell, type RawTable, Cells, PROGRAMMES, PROGRAMME_METRICS, Sums, TERMS, TERMS_362, TERM_COUNTS,
  programmeRow, termRow,
} from "./report-tables.js";

export type { Counter, OfficeInfo } from "./report-tables.js";
export { median } from "./report-tables.js";

export type ReportKind = "regional" | "national" | "compliance-quarterly" | "compliance-half-yearly";
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

const PROGRAMME_COLUMNS = [
  ["started", "Avviati"], ["completed", "Conclusi con esito positivo"], ["negative", "Esito negativo"], ["early", "Conclusi anticipatamente"],
  ["attested", "Attestazioni di frequenza"], ["weeksMet", "Settimane regolari"], ["weeksMissed", "Settimane con attestazioni mancanti"], ["anomalies", "Anomalie segnalate"],
] as const;
const TERM_COLUMNS = [
  ["term", "Termine"], ["met", "Nei termini"], ["late", "Oltre i termini"], ["open", "Scadute e ancora aperte alla data dei dati"],
  ["onTime", "Quota nei termini"], ["median", "Mediana"], ["unit", "Unità"],
] as const;
const cols = (first: [string, string], rest: readonly (readonly [string, string])[]) => [first, ...rest].map(([key, label]) => ({ key, label }));

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

export const NOTES = [
  `I valori da 1 a 4 sono indicati come «${SMALL_MARK}» perché nessuna persona sia identificabile. «${HIDDEN_MARK}» indica un valore nascosto perché un valore «${SMALL_MARK}» non si possa ricavare per differenza da totali, righe, colonne, serie mensili o dalle altre relazioni dello stesso periodo (soppressione secondaria). Quote e mediane sono indicate solo quando tutti i valori da cui derivano sono pubblicati («—»).`,
  "«Scadute e ancora aperte alla data dei dati»: termini scaduti nel periodo per i quali l'atto non risultava ancora registrato alla data di aggiornamento dei dati.",
  "I dati sono conteggiati al momento dell'evento e aggregati per mese; non contengono riferimenti ai procedimenti.",
];

interface Raw { tables: RawTable[]; monthly: { month: string; programmes: Count; deadlines: Count }[] }

/** One report's tables, its counts registered in `cells` with the relations a reader could use. */
function rawReport(cells: Cells, kind: ReportKind, scope: string, s: Sums, months: readonly { month: string; s: Sums }[], directory: readonly OfficeInfo[]): Raw {
  const inScope = directory.filter((o) =>
    kind === "regional" ? o.region === scope : kind === "national" ? o.region !== "" : kind === "compliance-quarterly" ? o.id === scope : o.jurisdiction === scope);
  const ids = (f: (o: OfficeInfo) => boolean) => inScope.filter(f).map((o) => o.id);
  const level = kind === "regional" ? `r:${scope}` : kind === "national" ? "n" : kind === "compliance-quarterly" ? `o:${scope}` : `d:${scope}`;
  // The national report has a row per region (the sum of the region's offices); the others a row per office.
  const groups = kind === "national"
    ? [...new Set(inScope.map((o) => o.region))].sort().map((r) => ({ label: r, level: `r:${r}`, members: (k?: string) => ids((o) => o.region === r && (k === undefined || o.kind === k)) }))
    : inScope.map((o) => ({ label: o.name, level: `o:${o.id}`, members: (k?: string) => (k === undefined || o.kind === k ? [o.id] : []) }));
  const parts = (members: readonly string[], suffix: string) => members.map((m) => `o:${m}|${suffix}`);
  const tables: RawTable[] = [];
  const rowUnit = kind === "national" ? "Regione" : "Ufficio";
  if (kind === "regional" || kind === "national") {
    const rows = groups.filter((g) => g.members("cuav").length > 0).map((g) => {
      const row = programmeRow(cells, s, g.level, g.members("cuav"));
      if (kind === "national") for (const key of Object.keys(PROGRAMME_METRICS)) cells.equal([row[key]!.id], parts(g.members("cuav"), `p:${key}`));
      return { office: g.label, ...row };
    });
    tables.push({ id: "programmi", title: "Programmi per autori di violenza", columns: cols(["office", kind === "national" ? "Regione" : "Centro"], PROGRAMME_COLUMNS), rows });
  }
  const termTable = (id: string, title: string, terms: readonly (typeof TERMS)[number][]): RawTable => ({
    id, title, columns: cols(["office", rowUnit], TERM_COLUMNS),
    rows: groups.flatMap((g) => terms.filter((t) => g.members(t.owner).length > 0).map((t) => {
      const row = termRow(cells, s, g.level, g.label, g.members(t.owner), t);
      if (kind === "national") for (const what of TERM_COUNTS) cells.equal([(row[what] as Count).id], parts(g.members(t.owner), `${t.timeline}:${t.stage}:${what}`));
      return row;
    })),
  });
  tables.push(termTable("362-bis", "Rispetto dei termini dell'art. 362-bis c.p.p.", TERMS_362));
  if (kind === "compliance-half-yearly") {
    tables.push({
      id: "distretto", title: "Totale del distretto", columns: cols(["office", "Distretto"], TERM_COLUMNS),
      rows: TERMS_362.map((t) => {
        const row = termRow(cells, s, level, scope, ids((o) => o.kind === t.owner), t);
        for (const what of TERM_COUNTS) cells.equal([(row[what] as Count).id], parts(ids((o) => o.kind === t.owner), `${t.timeline}:${t.stage}:${what}`));
        return row;
      }),
    });
  }
  if (kind === "regional" || kind === "national") {
    tables.push(termTable("384-bis", "Rispetto dei termini dell'art. 384-bis c.p.p.", TERMS.filter((t) => t.timeline === "384-bis")));
    const rows = groups.map((g) => {
      const escalations = cells.count(`${g.level}|escalations`, s.escalated(g.members()));
      if (kind === "national") cells.equal([escalations.id], parts(g.members(), "escalations"));
      return { office: g.label, escalations };
    });
    tables.push({
      id: "segnalazioni", title: kind === "national" ? "Segnalazioni per regione" : "Segnalazioni per ufficio",
      columns: cols(["office", rowUnit], [["escalations", "Segnalazioni inviate"]]), rows: rows.filter((r) => r.escalations.n > 0),
    });
  }
  // The monthly volumes count the same offices as the tables, so that they add up to them.
  const cuav = ids((o) => o.kind === "cuav");
  const owners = TERMS_362.map((t) => ({ t, offices: ids((o) => o.kind === t.owner) }));
  const monthly = months.map(({ month, s: m }) => ({
    month,
    programmes: cells.count(`${level}|m:programmes:${month}`, PROGRAMMES.reduce((n, p) => n + m.get(cuav, `${p.id}:event:${p.start}`), 0)),
    deadlines: cells.count(`${level}|m:deadlines:${month}`, owners.reduce((n, { t, offices }) => n + m.get(offices, `${t.timeline}:${t.stage}:met`) + m.get(offices, `${t.timeline}:${t.stage}:late`), 0)),
  }));
  const series = (name: string) => monthly.map((m) => `${level}|m:${name}:${m.month}`);
  // A region's months add up to its row in the national report; a half-year's or a quarter's to its own rows.
  if (kind === "regional" && cuav.length > 0) cells.equal(series("programmes"), [`${level}|p:started`]);
  const closedRows = owners.filter(({ offices }) => kind === "compliance-half-yearly" || offices.length > 0)
    .flatMap(({ t }) => ["met", "late"].map((what) => `${level}|${t.timeline}:${t.stage}:${what}`));
  if (kind !== "national") cells.equal(series("deadlines"), closedRows);
  if (kind === "national") {
    for (const m of monthly) for (const name of ["programmes", "deadlines"]) cells.equal([`n|m:${name}:${m.month}`], groups.map((g) => `${g.level}|m:${name}:${m.month}`));
  }
  return { tables, monthly };
}

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

export function buildReport(
  kind: ReportKind, period: string, scope: string, counters: readonly Counter[], directory: readonly OfficeInfo[], snapshotAt: number,
): ReportDocument | undefined {
  const span = periodMonths(kind, period);
  if (span === undefined) return undefined;
  const within = counters.filter((c) => span.months.includes(c.month));
  const s = new Sums(within);
  const months = span.months.map((month) => ({ month, s: new Sums(within.filter((c) => c.month === month)) }));
  const cells = new Cells();
  // The reports of the same period a reader can set side by side: every region's and the national one.
  const family: [ReportKind, string][] = kind === "regional" || kind === "national"
    ? [...[...new Set(directory.map((o) => o.region).filter(Boolean))].sort().map((r): [ReportKind, string] => ["regional", r]), ["national", "IT"]]
    : [[kind, scope]];
  if (!family.some(([k, sc]) => k === kind && sc === scope)) family.push([kind, scope]);
  let raw: Raw | undefined;
  for (const [k, sc] of family) {
    const r = rawReport(cells, k, sc, s, months, directory);
    if (k === kind && sc === scope) raw = r;
  }
  const seen = protect(cells.values, cells.equations);
  const end = periodEnd(kind, period)!;
  return {
    kind, period, scope, title: TITLES[kind], periodLabel: span.label, snapshotAt: formatRomeInstant(snapshotAt), provisional: snapshotAt < end,
    tables: raw!.tables.map((t) => ({ ...t, rows: t.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, show(v, seen)]))) })),
    monthly: raw!.monthly.map((m) => ({ month: m.month, programmes: show(m.programmes, seen), deadlines: show(m.deadlines, seen) })),
    notes: NOTES,
  };
}
