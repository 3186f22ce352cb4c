/**
 * npm run bench:ingest — webhook ingestion under `wrangler dev`, driven by
 * a load generator on loopback, next to the bare /healthz route on the
 * same server in the same run; then the D1 rows one ingested event reads
 * and writes (X-D1-Meter). Uses its own local state directory.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { rmSync } from "node:fs";

const PORT = 8797;
const STATE = ".wrangler/bench-state";
const SECRET = Buffer.from("dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", "base64");
const BASE = `http://127.0.0.1:${PORT}`;
const N = Number(process.env.BENCH_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = 3;

function wrangler(args: string[]): void {
  const r = spawnSync("npx", ["wrangler", ...args], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed`);
}

function signed(i: number, round: number): RequestInit {
  const body = JSON.stringify({
    type: "suspect.registered", caseRef: `${(round + 1) * 100_000 + i}/2026`,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" },
  });
  const id = `msg_bench_${round}_${i}_${Date.now()}`;
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v1,${createHmac("sha256", SECRET).update(`${id}.${ts}.${body}`).digest("base64")}`;
  return { method: "POST", body, headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig } };
}

interface Run { perSecond: number; p50: number; p99: number; errors: number }

async function load(requests: (() => [string, RequestInit])[]): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests.length) {
      const [url, init] = requests[next++]!();
      const s = performance.now();
      const res = await fetch(url, init);
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
      if (res.status >= 300) errors++;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { perSecond: requests.length / seconds, p50: q(0.5), p99: q(0.99), errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main() {
  rmSync(STATE, { recursive: true, force: true });
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE]);
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", STATE, "--file", "seeds/demo.sql"]);
  const server = spawn("npx", ["wrangler", "dev", "--port", String(PORT), "--persist-to", STATE, "--var", "D1_METER:1", "--log-level", "error"], {
    stdio: ["ignore", "ignore", "inherit"], detached: true,
  });
  try {
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${BASE}/healthz`)).ok) break; } catch { /* starting */ }
      if (i > 240) throw new Error("wrangler dev did not start");
      await new Promise((r) => setTimeout(r, 250));
    }
    // Warm-up of both paths.
    await load(Array.from({ length: 200 }, (_, i) => () => [`${BASE}/webhooks/events`, signed(i, 99)]));
    await load(Array.from({ length: 200 }, () => () => [`${BASE}/healthz`, {}]));

    const ingest: Run[] = [];
    const bare: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ingest.push(await load(Array.from({ length: N }, (_, i) => () => [`${BASE}/webhooks/events`, signed(i, round)])));
      bare.push(await load(Array.from({ length: N }, () => () => [`${BASE}/healthz`, {}])));
    }
    // Rows per ingested event, metered on fresh events after the load.
    const metered = [];
    for (let i = 0; i < 50; i++) {
      const init = signed(i, 77);
      const res = await fetch(`${BASE}/webhooks/events`, { ...init, headers: { ...(init.headers as Record<string, string>), "X-D1-Meter": "1" } });
      await res.arrayBuffer();
      metered.push({ read: Number(res.headers.get("X-D1-Rows-Read")), written: Number(res.headers.get("X-D1-Rows-Written")), queries: Number(res.headers.get("X-D1-Queries")) });
    }
    const f = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
    const m = (runs: Run[], k: keyof Run) => median(runs.map((r) => r[k]));
    console.log(`node ${process.version}, wrangler dev on loopback, ${N} requests x ${ROUNDS} rounds, concurrency ${CONCURRENCY} (medians of the rounds)`);
    console.log(`webhook ingestion: ${f(m(ingest, "perSecond"))} events/s, p50 ${f(m(ingest, "p50"), 1)} ms, p99 ${f(m(ingest, "p99"), 1)} ms, errors ${ingest.reduce((s, r) => s + r.errors, 0)}`);
    console.log(`bare Hono route:   ${f(m(bare, "perSecond"))} requests/s, p50 ${f(m(bare, "p50"), 1)} ms, p99 ${f(m(bare, "p99"), 1)} ms`);
    console.log(`ratio: ingestion runs at ${(100 * m(ingest, "perSecond") / m(bare, "perSecond")).toFixed(1)}% of the bare route's throughput; p50 ${(m(ingest, "p50") / m(bare, "p50")).toFixed(1)}x`);
    console.log(`D1 per ingested event (median of 50): ${median(metered.map((x) => x.read))} rows read, ${median(metered.map((x) => x.written))} rows written, ${median(metered.map((x) => x.queries))} statements`);
  } finally {
    process.kill(-server.pid!, "SIGTERM");
  }
}

await main();
