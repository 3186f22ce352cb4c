#!/usr/bin/env node
/**
 * npm run event -- <type> <caseRef> [occurredAt] [--port N] [--district TO|MI]
 *
 * Sends one event to the local server's webhook, signed as the demo sender
 * of the district (Turin by default; local-only secrets). Example:
 *   npm run event -- suspect.registered 1234/2026
 *   npm run event -- measures.requested 1234/2026 2026-11-20T10:00:00+01:00
 *   npm run event -- suspect.registered 77/2026 --district MI
 */
import { createHmac, randomUUID } from "node:crypto";

const SECRETS = { TO: "whsec_dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", MI: "whsec_dGVybWluaS1sb2NhbC1taWxhbm8tc2VjcmV0" };
const args = process.argv.slice(2);
const portAt = args.indexOf("--port");
const port = portAt >= 0 ? args.splice(portAt, 2)[1] : "8787";
const districtAt = args.indexOf("--district");
const district = districtAt >= 0 ? args.splice(districtAt, 2)[1] : "TO";
if (!(district in SECRETS)) {
  console.error("--district: TO (Torino) or MI (Milano)");
  process.exit(2);
}
const [type, caseRef, occurredAt = new Date().toISOString()] = args;
if (!type || !caseRef) {
  console.error("usage: npm run event -- <type> <caseRef> [occurredAt] [--port N] [--district TO|MI]");
  process.exit(2);
}
const data = type === "suspect.registered" ? { jurisdiction: district } : {};
const body = JSON.stringify({ type, caseRef, occurredAt, data });
const id = `msg_${randomUUID()}`;
const ts = Math.floor(Date.now() / 1000);
const key = Buffer.from(SECRETS[district].slice("whsec_".length), "base64");
const signature = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
const url = `http://127.0.0.1:${port}/webhooks/events`;
console.error(`→ ${url} (another port: --port N)`);
let res;
try {
  res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature },
    body,
  });
} catch {
  // One line, not a stack trace: the usual cause is that the server is not running.
  console.error(`no server on port ${port}: start it with \`npm run dev\` (or pass --port N)`);
  process.exit(1);
}
console.log(res.status, JSON.stringify(await res.json(), null, 2));
