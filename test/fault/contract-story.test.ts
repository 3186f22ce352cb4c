/**
 * The contract holds on the wire: an integrator's story
 * (test/contract-client/story.ts, written against the client generated
 * from /openapi.json) runs against a real `wrangler dev` through Stoplight
 * Prism's validating proxy, which checks every request and every answer
 * against the document the server itself serves and reports any violation
 * in its `sl-violations` header. The test fails on any.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { DevServer, freshState } from "../../bench/dev-server.js";
import { story } from "../contract-client/story.js";
import { fakeEndpoint } from "../fake-endpoint/client.js";

const PORT = 8804;
const PRISM_PORT = 8805;
const SECRET = Buffer.from("dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", "base64");
const state = `.wrangler/contract-story-${PORT}`;
// The server's links name the proxy: what an integrator behind it would see.
const server = new DevServer(PORT, state, ["--var", `APP_BASE_URL:http://127.0.0.1:${PORT}`]);
let prism: ChildProcess | undefined;
let prismOutput = "";
afterAll(async () => {
  if (prism?.pid !== undefined) {
    try { process.kill(-prism.pid, "SIGTERM"); } catch { /* already gone */ }
  }
  await server.stop();
});

/** Prism's proxy in front of the server, answering once it is up; its output kept for a failure. */
async function startPrism(spec: string): Promise<void> {
  prism = spawn("npx", ["prism", "proxy", spec, server.base, "--port", String(PRISM_PORT), "--host", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  const keep = (b: Buffer) => { prismOutput = (prismOutput + b.toString()).slice(-20_000); };
  prism.stdout!.on("data", keep);
  prism.stderr!.on("data", keep);
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (prism.exitCode !== null) throw new Error(`Prism exited: ${prismOutput}`);
    const up = await fetch(`http://127.0.0.1:${PRISM_PORT}/api/v1`).then((r) => r.status, () => 0);
    if (up === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Prism did not start: ${prismOutput}`);
}

it("runs an integrator's story through Prism's validating proxy with no request or response violation", async () => {
  await freshState(state);
  await server.start();
  const spec = `${state}/openapi.json`;
  const document = await (await fetch(`${server.base}/openapi.json`)).text();
  writeFileSync(spec, document);
  await startPrism(spec);
  const endpoint = fakeEndpoint(`contract-story-${crypto.randomUUID()}`);
  const violations: string[] = [];
  const statuses: string[] = [];
  let refusing = false;
  const called = await story({
    base: `http://127.0.0.1:${PRISM_PORT}`,
    adminToken: "termini-local-demo-token",
    procuraToken: "termini-local-procura-token",
    receiver: endpoint.url,
    subscribed: async (secret) => { await endpoint.setup({ secret }); },
    ref: `${4_100_000 + Math.floor(Math.random() * 800_000)}/2026`,
    sign: (id, body) => {
      const ts = Math.floor(Date.now() / 1000);
      return { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${createHmac("sha256", SECRET).update(`${id}.${ts}.${body}`).digest("base64")}` };
    },
    seen: (operation, res) => {
      statuses.push(`${operation} ${res.status}`);
      const found = JSON.parse(res.headers.get("sl-violations") ?? "[]") as { location: string[] }[];
      // A request the story breaks on purpose is a request violation by design; its answer must still be as documented.
      const counted = found.filter((v) => !(refusing && v.location[0] === "request"));
      if (counted.length > 0) violations.push(`${operation} ${res.status}: ${JSON.stringify(counted)}`);
    },
    refusing: () => { refusing = true; },
  }).catch(async (e: Error) => { throw new Error(`${e.message}\n${statuses.join("\n")}\n${await server.diagnosis()}\nPrism: ${prismOutput.slice(-4000)}`); });
  expect(violations, statuses.join("\n")).toEqual([]);
  // Every operation an integrator calls, on the document's own list (QStash's calls are QStash's).
  const operations = new Set(called);
  expect(operations.size).toBeGreaterThanOrEqual(28);
  console.log(`contract story through Prism: ${operations.size} operations, ${statuses.length} requests, ${violations.length} violations`);
  expect(statuses.filter((s) => / 5\d\d$/.test(s))).toEqual([]);
}, 600_000);
