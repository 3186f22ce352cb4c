/**
 * npm run bench:ingest — webhook ingestion under `wrangler dev`, against
 * its floor measured in the same run: bench/floor/worker.ts does the same
 * D1 statements and workflow creation with none of Termini's code. Each
 * round runs both on fresh local state (so neither holds more live
 * workflows than the local engine can: warm-up + events + metered stay
 * near 1,150), alternating, next to the bare /healthz route.
 *
 * A run is invalid, and says so, if any request answered other than 2xx,
 * if Termini recorded any failed workflow creation, or if a timeline
 * instance is missing.
 */
import { createHmac } from "node:crypto";
import { DevServer, freshState, query } from "./dev-server.js";

const PORT = 8797;
const SECRET = Buffer.from("dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", "base64");
const N = Number(process.env.BENCH_EVENTS ?? 1000);
const WARM = 100;
const METERED = 50;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// BENCH_TERMINI_CONFIG: another checkout's wrangler.jsonc, to measure an earlier version against the same floor.
const TARGETS = {
  termini: { config: process.env.BENCH_TERMINI_CONFIG ?? "wrangler.jsonc", state: ".wrangler/bench-termini", args: ["--var", "D1_METER:1"] },
  floor: { config: "bench/floor/wrangler.jsonc", state: ".wrangler/bench-floor", args: [] as string[] },
} as const;
type Target = keyof typeof TARGETS;

let sequence = 0;
function signed(meter = false): RequestInit {
  const n = ++sequence;
  const body = JSON.stringify({
    type: "suspect.registered", caseRef: `${100_000 + n}/2026`, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" },
  });
  const id = `msg_bench_${n}_${Date.now()}`;
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v1,${createHmac("sha256", SECRET).update(`${id}.${ts}.${body}`).digest("base64")}`;
  const headers: Record<string, string> = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig };
  if (meter) headers["X-D1-Meter"] = "1";
  return { method: "POST", body, headers };
}

interface Run { perSecond: number; p50: number; p99: number }
/** Every answer by status (0: no answer at all). */
const statuses = new Map<string, number>();

async function load(label: string, count: number, request: () => [string, RequestInit]): Promise<Run> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (started < count) {
      started++;
      const [url, init] = request();
      const s = performance.now();
      let status = 0;
      try {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        status = res.status;
      } catch {
        // counted as 0
      }
      latencies.push(performance.now() - s);
      const k = `${label} ${status}`;
      statuses.set(k, (statuses.get(k) ?? 0) + 1);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { perSecond: count / seconds, p50: q(0.5), p99: q(0.99) };
}

const METER = ["Calls", "Sequential", "Queries", "Rows-Read", "Rows-Written"] as const;
type Meter = Record<(typeof METER)[number], number>;

async function metered(base: string, label: string): Promise<Meter[]> {
  const out: Meter[] = [];
  for (let i = 0; i < METERED; i++) {
    const res = await fetch(`${base}/webhooks/events`, signed(true));
    await res.arrayBuffer();
    const k = `${label} ${res.status}`;
    statuses.set(k, (statuses.get(k) ?? 0) + 1);
    out.push(Object.fromEntries(METER.map((h) => [h, Number(res.headers.get(`X-D1-${h}`))])) as Meter);
  }
  return out;
}

interface Session { ingest: Run; bare: Run; meter: Meter[]; instances: number; workflowFailures: number }

async function session(target: Target): Promise<Session> {
  const t = TARGETS[target];
  await freshState(t.state, t.config);
  const server = new DevServer(PORT, t.state, ["-c", t.config, ...t.args]);
  await server.start();
  let ingest: Run;
  let bare: Run;
  let meter: Meter[];
  try {
    const events = () => [`${server.base}/webhooks/events`, signed()] as [string, RequestInit];
    await load(`${target} warm-up`, WARM, events);
    ingest = await load(`${target} ingest`, N, events);
    bare = await load(`${target} healthz`, N, () => [`${server.base}/healthz`, {}]);
    meter = await metered(server.base, `${target} metered`);
  } finally {
    await server.stop();
  }
  const count = async (sql: string) => (await query<{ n: number }>(t.state, sql, t.config))[0]!.n;
  return {
    ingest, bare, meter,
    instances: await count("SELECT count(*) AS n FROM timeline_instances"),
    // An earlier version without the table swallowed such failures: the missing instances' workflows cannot be counted then.
    workflowFailures: target === "termini" ? await tryCount(() => count("SELECT count(*) AS n FROM workflow_failures")) : 0,
  };
}

async function tryCount(f: () => Promise<number>): Promise<number> {
  try {
    return await f();
  } catch {
    console.log("(this version has no workflow_failures table: failed workflow creations are not counted)");
    return 0;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

async function main() {
  const runs: Record<Target, Session[]> = { termini: [], floor: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which goes first, so neither always gets the cooler machine.
    for (const target of (round % 2 === 0 ? ["floor", "termini"] : ["termini", "floor"]) as Target[]) {
      const s = await session(target);
      runs[target].push(s);
      console.log(`round ${round + 1} ${target.padEnd(7)}: ${f(s.ingest.perSecond)} events/s, p50 ${f(s.ingest.p50, 1)} ms, p99 ${f(s.ingest.p99, 1)} ms; /healthz ${f(s.bare.perSecond)}/s`);
    }
  }
  const m = (t: Target, k: keyof Run) => median(runs[t].map((s) => s.ingest[k]));
  const bare = median(runs.termini.map((s) => s.bare.perSecond));
  console.log(`\nnode ${process.version}, wrangler dev on loopback, ${N} events x ${ROUNDS} rounds per target, concurrency ${CONCURRENCY}, fresh state per round (medians of the rounds)`);
  console.log(`Termini ingestion: ${f(m("termini", "perSecond"))} events/s, p50 ${f(m("termini", "p50"), 1)} ms, p99 ${f(m("termini", "p99"), 1)} ms`);
  console.log(`floor (same I/O):  ${f(m("floor", "perSecond"))} events/s, p50 ${f(m("floor", "p50"), 1)} ms, p99 ${f(m("floor", "p99"), 1)} ms`);
  console.log(`bare /healthz:     ${f(bare)} requests/s`);
  console.log(`ratio to the floor: throughput ${(100 * m("termini", "perSecond") / m("floor", "perSecond")).toFixed(1)}% (target >= 80%), p50 ${(m("termini", "p50") / m("floor", "p50")).toFixed(2)}x, p99 ${(m("termini", "p99") / m("floor", "p99")).toFixed(2)}x`);
  for (const t of ["termini", "floor"] as Target[]) {
    const all = runs[t].flatMap((s) => s.meter);
    const d = (k: (typeof METER)[number]) => median(all.map((x) => x[k]));
    console.log(`D1 per event, ${t.padEnd(7)} (median of ${all.length}): ${d("Calls")} calls, ${d("Sequential")} sequential, ${d("Queries")} statements, ${d("Rows-Read")} rows read, ${d("Rows-Written")} rows written; + 1 workflow creation`);
  }
  const expected = WARM + N + METERED;
  const missing = Object.values(runs).flat().reduce((s, r) => s + Math.max(0, expected - r.instances), 0);
  const failures = runs.termini.reduce((s, r) => s + r.workflowFailures, 0);
  const bad = [...statuses].filter(([k]) => !/ 2\d\d$/.test(k));
  console.log(`answers: ${[...statuses].map(([k, n]) => `${k}: ${n}`).join(", ")}`);
  console.log(`workflow creations Termini recorded as failed: ${failures}; timeline instances missing: ${missing}`);
  if (bad.length > 0 || failures > 0 || missing > 0) {
    console.log("INVALID RUN: some answers were not 2xx, or workflows were not created");
    process.exitCode = 1;
  } else {
    console.log("valid run: every answer 2xx, every workflow created");
  }
}

await main();
