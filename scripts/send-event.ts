#!/usr/bin/env -S npx tsx
/**
 * npm run event -- <type> <caseRef> [occurredAt] [--data '{"field": …}'] [--port N] [--district TO|MI]
 * npm run event                 the event types, in Italian, with the data each carries
 *
 * Sends one event to the local server's webhook, signed as the demo sender of the district (Turin
 * by default; local-only secrets). Examples:
 *   npm run event -- suspect.registered 1234/2026
 *   npm run event -- measures.requested 1234/2026 2026-11-20T10:00:00+01:00
 *   npm run event -- removal.executed 55/2026 --data '{"issuedAt": "2026-11-20T10:00:00+01:00"}'
 *   npm run event -- suspect.registered 77/2026 --district MI
 */
import { createHmac, randomUUID } from "node:crypto";
import { eventFields, eventInstants, eventLabel, eventTypes, isTrigger } from "../src/timelines/catalog.js";

const SECRETS: Record<string, string> = { TO: "whsec_dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", MI: "whsec_dGVybWluaS1sb2NhbC1taWxhbm8tc2VjcmV0" };
const USAGE = "usage: npm run event -- <type> <caseRef> [occurredAt] [--data '{…}'] [--port N] [--district TO|MI]";
const args = process.argv.slice(2);

function option(name: string, fallback: string): string {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args.splice(at, 2)[1];
  if (value === undefined) fail(`${name} needs a value`);
  return value!;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** "1|2|…|36" as "1–36"; other values as they are. */
function choices(values: string[]): string {
  const n = values.map(Number);
  const consecutive = n.every((x, i) => Number.isInteger(x) && (i === 0 || x === n[i - 1]! + 1));
  return consecutive && n.length > 2 ? `${n[0]}–${n[n.length - 1]}` : values.join("|");
}

/** Without arguments: every type, what it records, and the data it carries. */
function listTypes(): void {
  console.log("Event types (npm run event -- <type> <caseRef> [occurredAt] [--data '{…}']):\n");
  for (const type of [...eventTypes()].sort()) {
    const fields = Object.entries(eventFields(type)).map(([f, values]) => `${f}: ${choices(values)}`);
    const instants = eventInstants(type).map((f) => `${f}: <instant>`);
    const data = [...(isTrigger(type) ? ["jurisdiction: <district, default --district>", "offices: {role: office id} (optional)"] : []), ...fields, ...instants];
    console.log(`  ${type.padEnd(38)} ${eventLabel(type)}${data.length > 0 ? `\n  ${"".padEnd(38)} data: ${data.join(", ")}` : ""}`);
  }
}

if (args.length === 0) {
  listTypes();
  process.exit(0);
}
const port = option("--port", "8787");
const district = option("--district", "TO");
const dataArg = option("--data", "{}");
if (!(district in SECRETS)) fail("--district: TO (Torino) or MI (Milano)");
const [type, caseRef, occurredAt = new Date().toISOString()] = args;
if (!type || !caseRef) fail(USAGE);
if (!eventTypes().has(type)) fail(`${type}: not an event type of the catalogue (npm run event lists them)`);
let extra: Record<string, unknown>;
try {
  extra = JSON.parse(dataArg) as Record<string, unknown>;
  if (typeof extra !== "object" || extra === null || Array.isArray(extra)) throw new Error("not an object");
} catch {
  fail(`--data: a JSON object, e.g. --data '{"issuedAt": "2026-11-20T10:00:00+01:00"}'`);
}
// A starting event names its district, unless the data says otherwise.
const data = { ...(isTrigger(type) ? { jurisdiction: district } : {}), ...extra };
const body = JSON.stringify({ type, caseRef, occurredAt, data });
const id = `msg_${randomUUID()}`;
const ts = Math.floor(Date.now() / 1000);
const key = Buffer.from(SECRETS[district]!.slice("whsec_".length), "base64");
const signature = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
const url = `http://127.0.0.1:${port}/webhooks/events`;
console.error(`→ ${url} (another port: --port N)`);
let res: Response;
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
