/**
 * npm run bench:reports — the national report over 1,000,000 events and
 * 100,000 programmes. Events are folded into the monthly counters by the
 * same metric functions the service uses as events arrive; the report is
 * then built from the counters alone. Prints the counter rows (what
 * generation reads from D1), and the CPU time to build and render.
 */
import { csvFiles } from "../src/stats/csv.js";
import { type Bump, closing, occurrence } from "../src/stats/metrics.js";
import { reportPdf } from "../src/stats/pdf.js";
import { type Counter, type OfficeInfo, buildReport } from "../src/stats/report.js";
import { zip } from "../src/stats/zip.js";
import { mulberry32 } from "./mix.js";
import { DevServer } from "./dev-server.js";
import { nodeFonts } from "../test/oracle/fonts.js";
import { prepareLocalState } from "../scripts/local-d1.mjs";

const rnd = mulberry32(2026);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const REGIONS = Array.from({ length: 20 }, (_, i) => `Regione ${String(i + 1).padStart(2, "0")}`);
const offices: OfficeInfo[] = REGIONS.flatMap((region, r) => [
  ...Array.from({ length: 7 }, (_, i) => ({ id: `procura-${r}-${i}`, name: `Procura ${r}-${i}`, kind: "procura", region, jurisdiction: `D${r}` })),
  ...Array.from({ length: 7 }, (_, i) => ({ id: `gip-${r}-${i}`, name: `GIP ${r}-${i}`, kind: "gip", region, jurisdiction: `D${r}` })),
  ...Array.from({ length: 15 }, (_, i) => ({ id: `cuav-${r}-${i}`, name: `CUAV ${r}-${i}`, kind: "cuav", region, jurisdiction: `D${r}` })),
]);
const of = (kind: string) => offices.filter((o) => o.kind === kind).map((o) => o.id);
const [cuavs, procure, gips] = [of("cuav"), of("procura"), of("gip")];
const YEAR = Date.parse("2026-01-01T00:00:00Z");
const DAY = 86_400_000;
const inYear = () => YEAR + Math.floor(rnd() * 330) * DAY + 36_000_000;

const cells = new Map<string, Counter>();
let events = 0;
function fold(bumps: Bump[]): void {
  for (const b of bumps) {
    const key = `${b.month}|${b.officeId}|${b.metric}`;
    const c = cells.get(key);
    if (c) c.value += b.by;
    else cells.set(key, { month: b.month, officeId: b.officeId, metric: b.metric, value: b.by });
  }
}

const P = "programme-ammonimento";
const t0 = performance.now();
for (let i = 0; i < 100_000; i++) {
  const cuav = pick(cuavs);
  const start = inYear();
  fold(occurrence(P, "programme.started-ammonimento", cuav, start, undefined));
  events++;
  for (let w = 0; w < 6; w++) {
    const at = start + w * 7 * DAY + DAY;
    fold(occurrence(P, "programme.attendance", cuav, at, undefined));
    fold(closing(P, "attendance", cuav, rnd() < 0.92 ? "met" : "late", at - DAY, at, true));
    events++;
  }
  if (rnd() < 0.2) {
    fold(occurrence(P, "programme.anomaly", cuav, start + 20 * DAY, "absence"));
    events++;
  }
  fold(occurrence(P, "programme.ended", cuav, start + 240 * DAY, rnd() < 0.8 ? "positive" : "negative"));
  events++;
}
while (events < 1_000_000) {
  const registered = inYear();
  const pmDays = Math.floor(rnd() * 40);
  const pmOffice = pick(procure);
  fold(closing("362-bis", "pm-assessment", pmOffice, pmDays <= 30 ? "met" : "late", registered, registered + pmDays * DAY, false));
  const gipDays = Math.floor(rnd() * 25);
  fold(closing("362-bis", "gip-decision", pick(gips), gipDays <= 20 ? "met" : "late", registered, registered + gipDays * DAY, false));
  events += 3; // registration, request, decision
}
const foldMs = performance.now() - t0;
const counters = [...cells.values()].filter((c) => c.month.startsWith("2026"));

function timeIt(fn: () => unknown, rounds = 7): number {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const s = performance.now();
    fn();
    ms.push(performance.now() - s);
  }
  return ms.sort((a, b) => a - b)[rounds >> 1]!;
}

const fonts = await nodeFonts();
const national = buildReport("national", "2026", "IT", counters, offices, Date.now())!;
const json = JSON.stringify(national);
const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`node ${process.version}; ${f(events)} events, 100,000 programmes, ${f(offices.length)} offices in ${REGIONS.length} regions`);
console.log(`counters: ${f(counters.length)} rows for the year (folded in ${f(foldMs)} ms); generation reads these plus ${f(offices.length)} office rows`);
console.log(`national report: build ${f(timeIt(() => buildReport("national", "2026", "IT", counters, offices, Date.now())), 1)} ms, ` +
  `PDF ${f(timeIt(() => reportPdf(national, "0".repeat(64), fonts)), 1)} ms, CSV zip ${f(timeIt(() => zip(csvFiles(national), Date.now())), 1)} ms (medians of 7); JSON ${f(json.length / 1024)} KiB`);
console.log(`regional report: build ${f(timeIt(() => buildReport("regional", "2026", REGIONS[0]!, counters, offices, Date.now())), 1)} ms`);

/**
 * The same report through the service: counters in local D1, wrangler dev, timed and metered over
 * loopback; once with every counter in the central database, once split between two district
 * databases (regions 1–10 in Turin's, 11–20 in Milan's), printing each database's share.
 */
async function throughD1(layout: "single" | "districts"): Promise<void> {
  const { mkdirSync, rmSync, writeFileSync } = await import("node:fs");
  const STATE = `.wrangler/bench-reports-${layout}`;
  const PORT = 8796;
  const sqlValue = (s: string) => `'${s.replaceAll("'", "''")}'`;
  rmSync(STATE, { recursive: true, force: true });
  mkdirSync(STATE, { recursive: true });
  // Twenty regions in two districts' databases: the district codes the layout serves.
  const districtOf = (o: OfficeInfo) => (Number(o.jurisdiction.slice(1)) < 10 ? "TO" : "MI");
  const officeSql = offices.map((o) => `INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, region) VALUES (${[o.id, o.kind, o.name, districtOf(o)].map(sqlValue).join(", ")}, 'IT', '["x@example.org"]', 'y@example.org', ${sqlValue(o.region)});`);
  const home = new Map(offices.map((o) => [o.id, layout === "single" ? "DB" : `DISTRICT_${districtOf(o)}`]));
  const counterSql = (binding: string) => {
    const mine = counters.filter((c) => home.get(c.officeId) === binding);
    const lines: string[] = [];
    for (let i = 0; i < mine.length; i += 500) {
      lines.push(`INSERT INTO stat_counters (month, office_id, metric, value) VALUES ${mine.slice(i, i + 500).map((c) => `(${sqlValue(c.month)}, ${sqlValue(c.officeId)}, ${sqlValue(c.metric)}, ${c.value})`).join(", ")};`);
    }
    return lines;
  };
  const bindings = layout === "single" ? ["DB"] : ["DB", "DISTRICT_TO", "DISTRICT_MI"];
  // Every database carries the directory (the districts' copy: counters name offices).
  for (const b of bindings) writeFileSync(`${STATE}/${b}.sql`, [...officeSql, ...counterSql(b)].join("\n"));
  await prepareLocalState(STATE, { bindings, seeds: [{ binding: "DB", file: "seeds/demo.sql" }, ...bindings.map((b) => ({ binding: b, file: `${STATE}/${b}.sql` }))] });
  const server = new DevServer(PORT, STATE, ["--var", "D1_METER:1", "--var", `DISTRICTS:${layout === "single" ? "" : "TO,MI"}`]);
  const base = server.base;
  const auth = { Authorization: "Bearer termini-local-ministero-token" };
  try {
    await server.start();
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = performance.now();
      const res = await fetch(`${base}/api/v1/reports/national/2026/generate`, { method: "POST", headers: auth });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`generate: ${res.status}`);
      if (i > 0) times.push(performance.now() - s);
    }
    const metered = await fetch(`${base}/api/v1/reports/national/2026/generate`, { method: "POST", headers: { ...auth, "X-D1-Meter": "1" } });
    await metered.arrayBuffer();
    if (metered.status !== 201) throw new Error(`generate: ${metered.status}`);
    const pdf = performance.now();
    await (await fetch(`${base}/api/v1/reports/national/2026?format=pdf`, { headers: auth })).arrayBuffer();
    const pdfMs = performance.now() - pdf;
    times.sort((a, b) => a - b);
    console.log(`${layout === "single" ? "one database" : "two district databases"}, through wrangler dev and local D1: generate a new version ${f(times[2]!)} ms (median of 5), ` +
      `${f(Number(metered.headers.get("X-D1-Rows-Read")))} D1 rows read, ${metered.headers.get("X-D1-Queries")} statements; download as PDF ${f(pdfMs)} ms`);
    console.log(`  per database (rows read, statements, time in D1 calls): ${metered.headers.get("X-D1-Databases")}`);
  } finally {
    await server.stop();
  }
}

if (!process.argv.includes("--no-d1")) {
  await throughD1("single");
  await throughD1("districts");
}
