/**
 * One report's tables before disclosure control, its counts registered in `cells` with every
 * relation a reader could use: a region's row is the sum of its offices' rows; a district's
 * total, of its offices'; a region's months, of its row; the country's months, of the regions'.
 * Counts of a period are named with the period; months need no period.
 */
import {
  type Count, type Counter, type OfficeInfo, type RawTable, type ReportKind, type Sums, Cells, PROGRAMMES, PROGRAMME_METRICS, TERMS, TERMS_362, TERM_COUNTS, programmeRow, termRow,
} from "./report-tables.js";

export interface Raw { tables: RawTable[]; monthly: { month: string; programmes: Count; deadlines: Count }[] }
export interface Span { period: string; s: Sums; months: readonly { month: string; s: Sums }[] }

const PROGRAMME_COLUMNS = [
  ["started", "Avviati"], ["completed", "Conclusi con esito positivo"], ["negative", "Esito negativo"], ["early", "Conclusi anticipatamente"],
  ["attested", "Attestazioni di frequenza"], ["weeksMet", "Settimane regolari"], ["weeksMissed", "Settimane con attestazioni mancanti"], ["anomalies", "Anomalie segnalate"],
] as const;
const TERM_COLUMNS = [
  ["term", "Termine"], ["met", "Nei termini"], ["late", "Oltre i termini"], ["open", "Scadute e ancora aperte alla data dei dati"],
  ["onTime", "Quota nei termini"], ["median", "Mediana"], ["unit", "Unità"],
] as const;
const cols = (first: [string, string], rest: readonly (readonly [string, string])[]) => [first, ...rest].map(([key, label]) => ({ key, label }));

export function rawReport(cells: Cells, kind: ReportKind, scope: string, span: Span, directory: readonly OfficeInfo[]): Raw {
  const { period: P, s, months } = span;
  const inScope = directory.filter((o) =>
    kind === "regional" ? o.region === scope : kind === "national" ? o.region !== "" : kind === "compliance-quarterly" ? o.id === scope : o.jurisdiction === scope);
  const ids = (f: (o: OfficeInfo) => boolean) => inScope.filter(f).map((o) => o.id);
  const level = kind === "regional" ? `r:${scope}` : kind === "national" ? "n" : kind === "compliance-quarterly" ? `o:${scope}` : `d:${scope}`;
  // The national report has a row per region (the sum of the region's offices); the others a row per office.
  const groups = kind === "national"
    ? [...new Set(inScope.map((o) => o.region))].sort().map((r) => ({ label: r, level: `${P}:r:${r}`, members: (k?: string) => ids((o) => o.region === r && (k === undefined || o.kind === k)) }))
    : inScope.map((o) => ({ label: o.name, level: `${P}:o:${o.id}`, members: (k?: string) => (k === undefined || o.kind === k ? [o.id] : []) }));
  const parts = (members: readonly string[], suffix: string) => members.map((m) => `${P}:o:${m}|${suffix}`);
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
        const row = termRow(cells, s, `${P}:${level}`, scope, ids((o) => o.kind === t.owner), t);
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
  return { tables, monthly: monthlyVolumes(cells, kind, level, P, inScope, months, groups) };
}

/**
 * The monthly volumes of a region and of the country, which add up to the annual rows. The
 * compliance reports (a Procura's quarter, a district's half-year) have none: what the law asks of
 * them is the terms per office, and one office's months would often be single cases, which no
 * suppression could protect without hiding most of them.
 */
function monthlyVolumes(cells: Cells, kind: ReportKind, level: string, P: string, inScope: readonly OfficeInfo[], months: Span["months"], groups: readonly { level: string }[]): Raw["monthly"] {
  if (kind !== "regional" && kind !== "national") return [];
  const cuav = inScope.filter((o) => o.kind === "cuav").map((o) => o.id);
  const owners = TERMS_362.map((t) => ({ t, offices: inScope.filter((o) => o.kind === t.owner).map((o) => o.id) }));
  const monthly = months.map(({ month, s: m }) => ({
    month,
    programmes: cells.count(`${level}|m:programmes:${month}`, PROGRAMMES.reduce((n, p) => n + m.get(cuav, `${p.id}:event:${p.start}`), 0)),
    deadlines: cells.count(`${level}|m:deadlines:${month}`, owners.reduce((n, { t, offices }) => n + m.get(offices, `${t.timeline}:${t.stage}:met`) + m.get(offices, `${t.timeline}:${t.stage}:late`), 0)),
  }));
  const series = (name: string) => monthly.map((m) => `${level}|m:${name}:${m.month}`);
  if (kind === "regional") {
    // A region's months add up to its row in the national report.
    if (cuav.length > 0) cells.equal(series("programmes"), [`${P}:${level}|p:started`]);
    cells.equal(series("deadlines"), owners.filter(({ offices }) => offices.length > 0).flatMap(({ t }) => ["met", "late"].map((w) => `${P}:${level}|${t.timeline}:${t.stage}:${w}`)));
  } else {
    // The country's month is the sum of the regions'.
    for (const m of monthly) for (const name of ["programmes", "deadlines"]) cells.equal([`n|m:${name}:${m.month}`], groups.map((g) => `${g.level.slice(P.length + 1)}|m:${name}:${m.month}`));
  }
  return monthly;
}

/**
 * What each Procura and GIP office closed in each quarter (met and late): never published, but the
 * region's months add up to it quarter by quarter, and so does each of the office's rows over a
 * quarter, a half-year or the year. Written down, the equations meet where a reader's sums meet.
 * Returns the counts, to be kept hidden.
 */
export function quarterLinks(cells: Cells, year: string, counters: readonly Counter[], directory: readonly OfficeInfo[]): string[] {
  const closing = directory.filter((o) => TERMS_362.some((t) => t.owner === o.kind));
  const metricsOf = new Map(["procura", "gip"].map((k) => [k, TERMS_362.filter((t) => t.owner === k).flatMap((t) => [`${t.timeline}:${t.stage}:met`, `${t.timeline}:${t.stage}:late`])]));
  const metrics = (o: OfficeInfo) => metricsOf.get(o.kind) ?? [];
  const byId = new Map(closing.map((o) => [o.id, o]));
  const value = new Map<string, number>();
  for (const c of counters) {
    if (!c.month.startsWith(year)) continue;
    const o = byId.get(c.officeId);
    if (o === undefined || !metrics(o).includes(c.metric)) continue;
    const id = `c:${o.id}|closed:${year}-Q${Math.floor((Number(c.month.slice(5)) - 1) / 3) + 1}`;
    value.set(id, (value.get(id) ?? 0) + c.value);
  }
  const hidden: string[] = [];
  const quarter = (o: string, q: number) => {
    const id = `c:${o}|closed:${year}-Q${q}`;
    if (!cells.values.has(id)) hidden.push(cells.count(id, value.get(id) ?? 0).id);
    return id;
  };
  const periods: [string, number[]][] = [["Q1", [1]], ["Q2", [2]], ["Q3", [3]], ["Q4", [4]], ["H1", [1, 2]], ["H2", [3, 4]], ["", [1, 2, 3, 4]]];
  for (const o of closing) {
    for (const [p, qs] of periods) {
      const P = p === "" ? year : `${year}-${p}`;
      const row = metrics(o).map((m) => `${P}:o:${o.id}|${m}`);
      if (row.every((id) => cells.values.has(id))) cells.equal(row, qs.map((q) => quarter(o.id, q)));
    }
  }
  for (const region of new Set(closing.map((o) => o.region).filter(Boolean))) {
    for (const q of [1, 2, 3, 4]) {
      const months = [0, 1, 2].map((k) => `r:${region}|m:deadlines:${year}-${String(q * 3 - 2 + k).padStart(2, "0")}`);
      if (months.every((id) => cells.values.has(id))) cells.equal(months, closing.filter((o) => o.region === region).map((o) => quarter(o.id, q)));
    }
  }
  return hidden;
}
