/**
 * The attacker's test of the reports' disclosure control. Independent of the
 * code under test: from everything published for a year (every Procura's four
 * quarters, every district's two half-years, every regional report and the
 * national one) it rebuilds what each published count adds up — the raw counts
 * per office, metric and month — and asks a linear-programming solver
 * (javascript-lp-solver) how small and how large every count from 1 to 4 that
 * was not printed can be, given every number, every "<5" (1–4) and every
 * "riservato" (≥ 0) of those reports. One that can take only one value has
 * been disclosed.
 */
import solver from "javascript-lp-solver";
import { describe, expect, it } from "vitest";
import { runs } from "../budget.js";
import { mulberry32 } from "../../bench/mix.js";
import { type Counter, type OfficeInfo, type ReportDocument, type ReportKind, buildReport, periodMonths } from "../../src/stats/report.js";

// The metric the test generates for each programme column (one of those the column adds up).
const PROGRAMME = {
  started: "programme-ammonimento:event:programme.started-ammonimento",
  completed: "programme-ammonimento:event:programme.ended:positive",
  negative: "programme-ammonimento:event:programme.ended:negative",
  early: "programme-suspended-sentence:event:suspension.revoked",
  attested: "programme-ammonimento:event:programme.attendance",
  weeksMet: "programme-ammonimento:attendance:met",
  weeksMissed: "programme-ammonimento:attendance:late",
  anomalies: "programme-ammonimento:event:programme.anomaly",
};
const TERMS = {
  procura: [["Valutazione del PM (30 giorni)", "362-bis:pm-assessment"], ["Richiesta di convalida (48 ore)", "384-bis:validation-request"]],
  gip: [["Decisione del GIP (20 giorni)", "362-bis:gip-decision"], ["Udienza di convalida (48 ore)", "384-bis:validation-hearing"]],
} as const;
const CLOSED_362 = ["362-bis:pm-assessment:met", "362-bis:pm-assessment:late", "362-bis:gip-decision:met", "362-bis:gip-decision:late"];
const ESCALATED = { procura: "362-bis:pm-assessment:escalated", gip: "362-bis:gip-decision:escalated" } as const;

function metricsOf(kind: string): string[] {
  if (kind === "cuav") return Object.values(PROGRAMME);
  const k = kind as "procura" | "gip";
  return [...TERMS[k].flatMap(([, m]) => [`${m}:met`, `${m}:late`, `${m}:open`]), ESCALATED[k]];
}


/** Three regions, their districts and offices; the last region has one district with one office of each kind. */
function directory(): OfficeInfo[] {
  const out: OfficeInfo[] = [];
  const layout: [string, number, number][] = [["Abruzzo", 2, 2], ["Basilicata", 2, 3], ["Calabria", 1, 1]];
  for (const [region, districts, centres] of layout) {
    for (let d = 1; d <= districts; d++) {
      const jur = `${region.slice(0, 2).toUpperCase()}${d}`;
      const office = (kind: string, n = 0) => ({ id: `${kind}-${jur}-${n}`, name: `${kind} ${jur} ${n}`, kind, region, jurisdiction: jur });
      out.push(office("procura"), office("gip"));
      for (let c = 0; c < centres; c++) out.push(office("cuav", c));
    }
  }
  return out;
}

/** Mostly zeros and small counts, the cases disclosure control is for. */
function counters(dir: readonly OfficeInfo[], seed: number): Counter[] {
  const r = mulberry32(seed);
  const out: Counter[] = [];
  for (const o of dir) {
    for (const metric of metricsOf(o.kind)) {
      for (let m = 1; m <= 12; m++) {
        const x = r();
        const value = x < 0.75 ? 0 : x < 0.93 ? 1 + Math.floor(r() * 4) : 5 + Math.floor(r() * 20);
        if (value > 0) out.push({ month: `2026-${String(m).padStart(2, "0")}`, officeId: o.id, metric, value });
      }
    }
  }
  return out;
}

type Atom = string; // office|metric|month
interface Published { atoms: Atom[]; shown: string | number; where: string }

/** What each published count adds up, read from the documents as a reader would read them. */
function published(docs: readonly ReportDocument[], dir: readonly OfficeInfo[]): Published[] {
  const out: Published[] = [];
  const byName = new Map(dir.map((o) => [o.name, o]));
  const atoms = (offices: readonly OfficeInfo[], metrics: readonly string[], ms: readonly string[]) =>
    offices.flatMap((o) => metrics.filter((m) => metricsOf(o.kind).includes(m)).flatMap((m) => ms.map((month) => `${o.id}|${m}|${month}`)));
  for (const doc of docs) {
    const months = periodMonths(doc.kind, doc.period)!.months;
    const scope = doc.kind === "regional" ? dir.filter((o) => o.region === doc.scope) : doc.kind === "national" ? dir
      : doc.kind === "compliance-quarterly" ? dir.filter((o) => o.id === doc.scope) : dir.filter((o) => o.jurisdiction === doc.scope);
    // A row is an office, a region (national report) or the district (its total).
    const rowOffices = (label: string, kind?: string) =>
      (byName.has(label) ? [byName.get(label)!] : scope.filter((o) => o.region === label || o.jurisdiction === label)).filter((o) => kind === undefined || o.kind === kind);
    for (const t of doc.tables) {
      for (const row of t.rows) {
        const where = `${doc.period} ${doc.kind} ${doc.scope} ${t.id} ${row.office} ${row.term ?? ""}`;
        if (t.id === "programmi") {
          for (const [key, metric] of Object.entries(PROGRAMME)) out.push({ atoms: atoms(rowOffices(String(row.office), "cuav"), [metric], months), shown: row[key]!, where: `${where} ${key}` });
        } else if (t.id === "segnalazioni") {
          out.push({ atoms: atoms(rowOffices(String(row.office)), Object.values(ESCALATED), months), shown: row.escalations!, where });
        } else {
          const [kind, [, m]] = Object.entries(TERMS).flatMap(([k, ts]) => ts.map((x) => [k, x] as const)).find(([, [label]]) => label === row.term)!;
          for (const what of ["met", "late", "open"]) out.push({ atoms: atoms(rowOffices(String(row.office), kind), [`${m}:${what}`], months), shown: row[what]!, where: `${where} ${what}` });
        }
      }
      // An office or region without a row in "Segnalazioni" sent none.
      if (t.id === "segnalazioni") {
        const labels = new Set(t.rows.map((r) => r.office));
        const units = doc.kind === "national" ? [...new Set(scope.map((o) => o.region))] : scope.map((o) => o.name);
        for (const u of units.filter((x) => !labels.has(x))) out.push({ atoms: atoms(rowOffices(u), Object.values(ESCALATED), months), shown: 0, where: `${doc.scope} no escalations ${u}` });
      }
    }
    for (const m of doc.monthly) {
      out.push({ atoms: atoms(scope, [PROGRAMME.started], [m.month]), shown: m.programmes, where: `${doc.scope} ${m.month} programmes` });
      out.push({ atoms: atoms(scope, CLOSED_362, [m.month]), shown: m.deadlines, where: `${doc.scope} ${m.month} deadlines` });
    }
  }
  return out;
}

/** How small and how large each count from 1 to 4 not printed can be, given everything published beside it. */
function attack(cells: readonly Published[], truth: ReadonlyMap<Atom, number>): { where: string; value: number; shown: string; min: number; max: number }[] {
  // Atoms that every published count takes or leaves together are one variable.
  const signature = new Map<Atom, string>();
  cells.forEach((c, i) => c.atoms.forEach((a) => signature.set(a, `${signature.get(a) ?? ""},${i}`)));
  const groups = new Map<string, number[]>();
  for (const [, sig] of signature) groups.set(sig, sig.split(",").slice(1).map(Number));
  const constraints: Record<string, { equal?: number; min?: number; max?: number }> = {};
  cells.forEach((c, i) => {
    if (c.atoms.length === 0) return;
    constraints[`c${i}`] = typeof c.shown === "number" ? { equal: c.shown } : c.shown === "<5" ? { min: 1, max: 4 } : { min: 0 };
  });
  const results: { where: string; value: number; shown: string; min: number; max: number }[] = [];
  cells.forEach((c, i) => {
    const value = c.atoms.reduce((n, a) => n + (truth.get(a) ?? 0), 0);
    if (typeof c.shown === "number") {
      expect(c.shown, `${c.where}: printed, but not what the data say`).toBe(value);
      return;
    }
    if (c.shown === "<5") expect(value, `${c.where}: «<5» for ${value}`).toBeGreaterThanOrEqual(1);
    if (!(value >= 1 && value <= 4)) return;
    const variables: Record<string, Record<string, number>> = {};
    let g = 0;
    for (const members of groups.values()) {
      const v: Record<string, number> = { obj: members.includes(i) ? 1 : 0 };
      for (const m of members) v[`c${m}`] = 1;
      variables[`g${g++}`] = v;
    }
    const solve = (opType: "min" | "max") => {
      const r = solver.Solve({ optimize: "obj", opType, constraints, variables }) as { feasible: boolean; result: number };
      expect(r.feasible, `${c.where}: the published figures admit no data`).toBe(true);
      return r.result;
    };
    results.push({ where: c.where, value, shown: String(c.shown), min: solve("min"), max: solve("max") });
  });
  return results;
}

function family(kind: ReportKind, period: string, scopes: readonly string[], dir: readonly OfficeInfo[], data: readonly Counter[]): ReportDocument[] {
  return scopes.map((s) => buildReport(kind, period, s, data, dir, Date.parse("2027-02-01T10:00:00Z"))!);
}

/** Everything published for the year: quarters, half-years, the regions' reports and the national one. */
function year(dir: readonly OfficeInfo[], data: readonly Counter[]): ReportDocument[] {
  const procure = dir.filter((o) => o.kind === "procura").map((o) => o.id);
  const districts = [...new Set(dir.map((o) => o.jurisdiction))];
  return [
    ...[1, 2, 3, 4].flatMap((q) => family("compliance-quarterly", `2026-Q${q}`, procure, dir, data)),
    ...[1, 2].flatMap((h) => family("compliance-half-yearly", `2026-H${h}`, districts, dir, data)),
    ...family("regional", "2026", [...new Set(dir.map((o) => o.region))], dir, data),
    ...family("national", "2026", ["IT"], dir, data),
  ];
}

const truthOf = (data: readonly Counter[]) => {
  const t = new Map<Atom, number>();
  for (const c of data) t.set(`${c.officeId}|${c.metric}|${c.month}`, (t.get(`${c.officeId}|${c.metric}|${c.month}`) ?? 0) + c.value);
  return t;
};

describe("no count from 1 to 4 can be worked back from what a year publishes", () => {
  const dir = directory();
  for (const seed of [1, 2, 3].slice(0, runs(3))) {
    const data = counters(dir, seed);
    it(`every quarter, half-year, regional and national report (data set ${seed})`, () => {
      const small = attack(published(year(dir, data), dir), truthOf(data));
      expect(small.length).toBeGreaterThan(50);
      expect(small.filter((x) => x.max - x.min < 1 - 1e-6)).toEqual([]);
    });
  }
});
