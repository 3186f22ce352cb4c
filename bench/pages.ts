/**
 * npm run bench:pages — the pages and routes that read open deadlines, at
 * 10,000 and 100,000 open deadlines, under `wrangler dev` with the D1
 * meter: rows read per request (what D1 bills and what a query's time
 * follows), statements, and the median time. The target: rows read per
 * request independent of the total number of deadlines.
 *
 * The data are synthetic (numbers only): each case has one event, one
 * running 362-bis instance and one open deadline, at Turin's or Milan's
 * Procura or GIP in turn, due over the next year (a tenth already overdue).
 * A run is invalid if any request answers other than 200.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { DevServer, execute, freshState } from "./dev-server.js";

const SCALES = (process.env.BENCH_SCALES ?? "10000,100000").split(",").map(Number);
const REPEAT = 5;
const STATE = ".wrangler/bench-pages";
const OFFICES = ["procura-torino", "gip-torino", "procura-milano", "gip-milano"];
const DAY = 86_400_000;
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

/** The seed, in statements of 500 rows. */
function seed(n: number, now: number): string {
  const out: string[] = [
    `INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES ('${sha("bench-operator-session-000000")}', 'u-procura', 'x', ${now}, ${now + DAY}), ('${sha("bench-head-session-00000000000")}', 'u-procuratore', 'x', ${now}, ${now + DAY});`,
    `INSERT INTO calendar_tokens (token_hash, user_id, created_at) VALUES ('${sha("benchcalendartoken0123456789")}', 'u-procura', ${now});`,
  ];
  const rows: Record<string, string[]> = { cases: [], events: [], case_offices: [], timeline_instances: [], deadlines: [] };
  const flush = () => {
    const cols: Record<string, string> = {
      cases: "id, ref, owner_office_id, created_at, created_by",
      events: "id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at",
      case_offices: "case_id, office_id, role, case_created_at",
      timeline_instances: "id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id",
      deadlines: "id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event",
    };
    for (const [table, values] of Object.entries(rows)) {
      if (values.length > 0) out.push(`INSERT INTO ${table} (${cols[table]}) VALUES ${values.join(", ")};`);
      values.length = 0;
    }
  };
  for (let i = 0; i < n; i++) {
    const office = OFFICES[i % OFFICES.length]!;
    const owner = office.replace("gip", "procura");
    const created = now - (n - i) * 60_000;
    const due = now - 36 * DAY + Math.floor((i * 401 * DAY) / n) % (400 * DAY);
    const [c, e, t] = [`c${i}`, `e${i}`, `t${i}`];
    rows.cases!.push(`('${c}', '${900_000 + i}/2026', '${owner}', ${created}, 'bench')`);
    rows.events!.push(`('${e}', 'bench:${i}', '${c}', 'suspect.registered', '${new Date(created).toISOString()}', ${created}, '{}', 'bench', ${created})`);
    rows.case_offices!.push(`('${c}', '${owner}', 'procura', ${created})`);
    if (office !== owner) rows.case_offices!.push(`('${c}', '${office}', 'gip', ${created})`);
    rows.timeline_instances!.push(`('${t}', '${c}', '362-bis', 1, 'running', '${e}', ${created}, NULL, '${t}')`);
    const stage = office === owner ? "pm-assessment" : "gip-decision";
    rows.deadlines!.push(`('${t}.${stage}', '${t}', '${stage}', 1, '${office}', '${e}', ${created}, '${new Date(due).toISOString()}', ${due}, NULL, 'open', NULL, '{}', NULL, NULL)`);
    if (rows.cases!.length === 500) flush();
  }
  flush();
  return out.join("\n");
}

const REQUESTS: [string, string, Record<string, string>][] = [
  ["dashboard, operator (procura-torino)", "/", { Cookie: "termini_session=bench-operator-session-000000", Accept: "text/html" }],
  ["dashboard, head of office (and the offices below)", "/", { Cookie: "termini_session=bench-head-session-00000000000", Accept: "text/html" }],
  ["dashboard, filtered by timeline", "/?scadenzario=362-bis", { Cookie: "termini_session=bench-operator-session-000000", Accept: "text/html" }],
  ["office deadlines API, open", "/api/v1/offices/procura-torino/deadlines?status=open", { Authorization: "Bearer termini-local-procura-token" }],
  ["office deadlines API, overdue", "/api/v1/offices/procura-torino/deadlines?status=overdue", { Authorization: "Bearer termini-local-procura-token" }],
  ["office deadlines API, all", "/api/v1/offices/procura-torino/deadlines?status=all", { Authorization: "Bearer termini-local-procura-token" }],
  ["calendar feed", "/ical/benchcalendartoken0123456789.ics", {}],
  ["cases API, an office's newest", "/api/v1/cases", { Authorization: "Bearer termini-local-procura-token" }],
  ["case page", `/cases/${encodeURIComponent("900000/2026")}?ufficio=procura-torino`, { Cookie: "termini_session=bench-operator-session-000000", Accept: "text/html" }],
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

interface Figure { rows: number; statements: number; ms: number; status: number }

async function measure(base: string, path: string, headers: Record<string, string>): Promise<Figure> {
  const runs: Figure[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    const res = await fetch(base + path, { headers: { ...headers, "X-D1-Meter": "1" }, redirect: "manual" });
    await res.arrayBuffer();
    runs.push({ rows: Number(res.headers.get("X-D1-Rows-Read")), statements: Number(res.headers.get("X-D1-Queries")), ms: performance.now() - t, status: res.status });
  }
  return { rows: median(runs.map((r) => r.rows)), statements: median(runs.map((r) => r.statements)), ms: median(runs.map((r) => r.ms)), status: Math.max(...runs.map((r) => r.status)) };
}

const results = new Map<string, Figure[]>();
let invalid = false;
for (const n of SCALES) {
  await freshState(STATE);
  const file = `${STATE}-seed.sql`;
  writeFileSync(file, seed(n, Date.now()));
  const t = performance.now();
  await execute(STATE, readFileSync(file, "utf8"));
  console.log(`${n.toLocaleString("en-US")} open deadlines seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const server = new DevServer(8798, STATE, ["--var", "D1_METER:1"]);
  await server.start();
  try {
    for (const [label, path, headers] of REQUESTS) {
      const f = await measure(server.base, path, headers);
      if (f.status !== 200) invalid = true;
      results.set(label, [...(results.get(label) ?? []), f]);
    }
  } finally {
    await server.stop();
  }
}
const w = Math.max(...REQUESTS.map(([l]) => l.length));
console.log(`\nrows read per request (statements, median ms of ${REPEAT}) at ${SCALES.map((n) => n.toLocaleString("en-US")).join(" / ")} open deadlines`);
for (const [label] of REQUESTS) {
  const fs = results.get(label)!;
  console.log(`${label.padEnd(w)}  ${fs.map((f) => `${String(f.rows).padStart(6)} rows (${f.statements}, ${f.ms.toFixed(0)} ms)${f.status !== 200 ? ` HTTP ${f.status}` : ""}`).join("   ")}`);
}
console.log(invalid ? "INVALID RUN: a request answered other than 200" : "valid run: every request answered 200");
if (invalid) process.exitCode = 1;
