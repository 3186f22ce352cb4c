/**
 * npm run bench:signin — does the sign-in answer take as long for a
 * registered address as for an unknown one? Alternating requests for each,
 * one at a time (a pause between them, the order of each pair alternating),
 * against `wrangler dev` on its own state; each request from
 * its own client address (so the per-client limit never answers). Prints
 * the median latency of each kind per round, the medians over rounds and
 * their ratio, and every non-200 answer (a run with any is invalid).
 */
import { DevServer, freshState } from "./dev-server.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = 10;
const CSRF = "csrf-token-for-the-sign-in-benchmark-01";
const KNOWN = "operatore.procura@example.org";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

let client = 0;
async function ask(base: string, email: string): Promise<{ ms: number; status: number }> {
  client++;
  const t = performance.now();
  const res = await fetch(`${base}/accedi`, {
    method: "POST", redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `termini_csrf=${CSRF}`, "CF-Connecting-IP": `10.${client >> 16 & 255}.${client >> 8 & 255}.${client & 255}` },
    body: new URLSearchParams({ csrf: CSRF, email, dopo: "/" }).toString(),
  });
  await res.arrayBuffer();
  return { ms: performance.now() - t, status: res.status };
}

const state = ".wrangler/bench-signin-state";
await freshState(state);
const server = new DevServer(8799, state, ["--var", "APP_BASE_URL:http://localhost:8799"]);
await server.start();
try {
  for (let i = 0; i < 20; i++) await ask(server.base, i % 2 === 0 ? KNOWN : `ignoto${i}@example.org`); // warm-up
  const known: number[] = [];
  const unknown: number[] = [];
  const refused = new Map<number, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const k: number[] = [];
    const u: number[] = [];
    for (let i = 0; i < PER_ROUND; i++) {
      // Which kind goes first alternates, and each request waits for the previous one's deferred
      // work (the link, the mail) to finish, so that neither kind pays for the other's.
      const pair = [[KNOWN, k], [`ignoto.${round}.${i}@example.org`, u]] as const;
      for (const [email, into] of (round + i) % 2 === 0 ? pair : [pair[1], pair[0]]) {
        await new Promise((r) => setTimeout(r, 40));
        const r = await ask(server.base, email);
        if (r.status !== 200) refused.set(r.status, (refused.get(r.status) ?? 0) + 1);
        into.push(r.ms);
      }
    }
    known.push(median(k));
    unknown.push(median(u));
  }
  const [mk, mu] = [median(known), median(unknown)];
  console.log(`node ${process.version}, wrangler dev on loopback; ${ROUNDS} rounds of ${PER_ROUND} requests per kind, alternating, one at a time`);
  console.log(`registered address: median ${mk.toFixed(1)} ms (round medians ${Math.min(...known).toFixed(1)}–${Math.max(...known).toFixed(1)})`);
  console.log(`unknown address:    median ${mu.toFixed(1)} ms (round medians ${Math.min(...unknown).toFixed(1)}–${Math.max(...unknown).toFixed(1)})`);
  console.log(`ratio registered/unknown: ${(mk / mu).toFixed(3)}`);
  console.log(refused.size === 0 ? "non-200 answers: none" : `INVALID RUN, non-200 answers: ${[...refused].map(([s, n]) => `${s}×${n}`).join(", ")}`);
  if (refused.size > 0) process.exitCode = 1;
} finally {
  await server.stop();
}
