/**
 * npm run bench:preview — what running the case's own code costs the
 * preview (a Durable Object's SQLite built from the migrations, the events
 * through applyEvent, the periods through rollPeriod). Against `wrangler dev`
 * on its own state, one request at a time, alternating: a 362-bis preview
 * (two events), a programme preview rolling 12 weeks, and the reference,
 * GET /api/v1/terms for the same term (a bare route doing no I/O).
 * Prints per-kind medians over rounds and their ratios to the reference,
 * and every non-200 answer (a run with any is invalid).
 */
import { DevServer, freshState } from "./dev-server.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const KINDS = {
  terms: { path: "/api/v1/terms?from=2024-03-26T10:00:00%2B01:00&amount=30&unit=days&regime=penal", body: undefined },
  "362-bis": {
    path: "/api/v1/deadlines/preview",
    body: { timeline: "362-bis", events: [
      { type: "suspect.registered", occurredAt: "2024-03-26T10:00:00+01:00" },
      { type: "measures.requested", occurredAt: "2024-04-20T10:00:00+02:00" },
    ] },
  },
  "programme, 12 weeks": {
    path: "/api/v1/deadlines/preview",
    body: { timeline: "programme-suspended-sentence", until: "2026-05-25T12:00:00+02:00", events: [
      { type: "sentence.irrevocable", occurredAt: "2026-02-16T10:00:00+01:00", data: { dueDate: "2026-03-16", durationMonths: "8" } },
      { type: "programme.started-suspended-sentence", occurredAt: "2026-03-02T10:00:00+01:00" },
      { type: "programme.attendance", occurredAt: "2026-03-03T10:00:00+01:00" },
      { type: "programme.attendance", occurredAt: "2026-03-05T10:00:00+01:00" },
    ] },
  },
} as const;
type Kind = keyof typeof KINDS;

async function ask(base: string, kind: Kind): Promise<{ ms: number; status: number }> {
  const k = KINDS[kind];
  const t = performance.now();
  const res = await fetch(base + k.path, k.body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(k.body) });
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}

const state = ".wrangler/bench-preview-state";
await freshState(state);
const server = new DevServer(8799, state);
await server.start();
try {
  const kinds = Object.keys(KINDS) as Kind[];
  for (let i = 0; i < 10; i++) for (const k of kinds) await ask(server.base, k); // warm-up
  const rounds = Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  const refused = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const times = Object.fromEntries(kinds.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
    for (let i = 0; i < PER_ROUND; i++) {
      // The order rotates, so that no kind always runs first.
      for (let j = 0; j < kinds.length; j++) {
        const kind = kinds[(i + round + j) % kinds.length]!;
        const r = await ask(server.base, kind);
        if (r.status !== 200) refused.set(`${kind} ${r.status}`, (refused.get(`${kind} ${r.status}`) ?? 0) + 1);
        times[kind].push(r.ms);
      }
    }
    for (const k of kinds) rounds[k].push(median(times[k]));
  }
  const ref = median(rounds.terms);
  console.log(`node ${process.version}, wrangler dev on loopback; ${ROUNDS} rounds of ${PER_ROUND} requests per kind, one at a time, order rotating`);
  for (const k of kinds) {
    const m = median(rounds[k]);
    console.log(`${k.padEnd(20)} median ${m.toFixed(1)} ms (round medians ${Math.min(...rounds[k]).toFixed(1)}–${Math.max(...rounds[k]).toFixed(1)}), ${(m / ref).toFixed(1)}× the terms route`);
  }
  console.log(refused.size === 0 ? "non-200 answers: none" : `INVALID RUN, non-200 answers: ${[...refused].map(([s, n]) => `${s}×${n}`).join(", ")}`);
  if (refused.size > 0) process.exitCode = 1;
} finally {
  await server.stop();
}
