#!/usr/bin/env node
/**
 * npm run districts:move -- [--url http://127.0.0.1:8787] [--token T] [--limit N]
 *
 * Moves a deployment's cases from the central database into their districts'
 * databases (docs/operations.md, "Districts"), calling POST /api/v1/districts/move until
 * nothing is left, and printing each round. The token is an administrator's
 * (TERMINI_ADMIN_TOKEN, or the local demo's by default). Safe to stop and run
 * again: a case is copied, then deleted from the central database.
 */
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const url = opt("--url", "http://127.0.0.1:8787").replace(/\/$/, "");
const token = opt("--token", process.env.TERMINI_ADMIN_TOKEN ?? "termini-local-demo-token");
const limit = Number(opt("--limit", "200"));

let total = 0;
for (let round = 1; ; round++) {
  const res = await fetch(`${url}/api/v1/districts/move`, {
    method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ limit }),
  }).catch(() => undefined);
  if (res === undefined) {
    console.error(`no server at ${url}`);
    process.exit(1);
  }
  const body = await res.json();
  if (!res.ok) {
    console.error(`${res.status} ${body.code ?? ""}: ${body.detail ?? ""}`);
    process.exit(1);
  }
  const moved = Object.values(body.moved).reduce((a, b) => a + b, 0);
  total += moved;
  console.log(`round ${round}: moved ${JSON.stringify(body.moved)}, workflows restarted ${body.restarted}, remaining ${body.remaining}`);
  if (body.remaining === 0) break;
  if (moved === 0) {
    console.error("nothing moved in this round although cases remain: see the server's log");
    process.exit(1);
  }
}
console.log(`done: ${total} cases moved`);
