#!/usr/bin/env node
/**
 * npm run timelines:migrate -- <timeline> <fromVersion> <toVersion> [--url URL]
 *
 * Moves running instances of a timeline to a newer version of its
 * definition, recomputing their deadlines. Needs an admin token in
 * TERMINI_TOKEN (locally the demo admin token is used). Repeats until no
 * instance is left on the old version.
 */
const args = process.argv.slice(2);
const urlAt = args.indexOf("--url");
const base = urlAt >= 0 ? args.splice(urlAt, 2)[1] : "http://127.0.0.1:8787";
const [timeline, from, to] = args;
if (!timeline || !from || !to) {
  console.error("usage: npm run timelines:migrate -- <timeline> <fromVersion> <toVersion> [--url URL]");
  process.exit(2);
}
const token = process.env.TERMINI_TOKEN ?? "termini-local-demo-token";
let total = 0;
for (;;) {
  const res = await fetch(`${base}/api/v1/timelines/${encodeURIComponent(timeline)}/migrate`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ from: Number(from), to: Number(to) }),
  });
  const body = await res.json();
  if (!res.ok) {
    console.error(res.status, body);
    process.exit(1);
  }
  for (const m of body.migrated) console.log(m.instanceId, m.moves.map((x) => `${x.deadline}: ${x.from} → ${x.to ?? "ritirata"}`).join("; "));
  total += body.migrated.length;
  if (body.remaining === 0) break;
}
console.log(`${total} instances moved from ${timeline} v${from} to v${to}`);
