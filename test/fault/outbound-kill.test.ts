/**
 * The direct outbound path under a killed process, on a real `wrangler
 * dev`: signed registrations in a burst, each opening a deadline that a
 * centre's subscription wants; the server is killed (SIGKILL) while
 * workflows are posting to a slow receiver, started again on the same state,
 * and the cron runs. Every acknowledged event's deadline.opened must reach
 * the receiver; a post the kill cut after the receiver took it may come
 * again, under the same webhook-id (receivers deduplicate on it): counted.
 * In wrangler.jsonc's district layout: the cases and their deliveries in
 * Turin's database, the subscription copied there from the central one.
 */
import { createHmac } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import { DISTRICT_BINDINGS, DevServer, freshState, query } from "../../bench/dev-server.js";
import { fakeEndpoint } from "../fake-endpoint/client.js";

const PORT = 8798;
const EVENTS = 24;
const SECRET = Buffer.from("dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==", "base64");
const state = `.wrangler/outbound-kill-${PORT}`;
const server = new DevServer(PORT, state, ["--test-scheduled", "--var", `APP_BASE_URL:http://127.0.0.1:${PORT}`, "--var", "WEBHOOK_TIMEOUT_MS:1000", "--var", "WEBHOOK_RETRY_BASE_MS:1000",
  "--var", "DISTRICTS:TO,MI"]);
afterAll(() => server.stop());

function signed(ref: string, id: string): RequestInit {
  const body = JSON.stringify({ type: "suspect.registered", caseRef: ref, occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" } });
  const ts = Math.floor(Date.now() / 1000);
  const sig = `v1,${createHmac("sha256", SECRET).update(`${id}.${ts}.${body}`).digest("base64")}`;
  return { method: "POST", body, headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig } };
}

it("delivers every acknowledged event's webhook when the server is killed mid-delivery, duplicates only under the same webhook-id", async () => {
  await freshState(state, undefined, DISTRICT_BINDINGS);
  await server.start();
  const endpoint = fakeEndpoint(`kill-${crypto.randomUUID()}`);
  const created = await fetch(`${server.base}/api/v1/subscriptions`, {
    method: "POST", headers: { Authorization: "Bearer termini-local-demo-token", "Content-Type": "application/json" },
    body: JSON.stringify({ office: "procura-torino", url: endpoint.url, kinds: ["deadline.opened"], parallelism: 4 }),
  });
  expect(created.status).toBe(201);
  // Slow, so that the kill surely finds posts in flight (the receiver takes them; Termini never hears).
  await endpoint.setup({ secret: ((await created.json()) as { secret: string }).secret, delayMs: 4000 });

  const refs = Array.from({ length: EVENTS }, (_, i) => `${3_100_000 + i}/2026`);
  const acknowledged = new Set<string>();
  const send = async (ref: string) => {
    try {
      const res = await fetch(`${server.base}/webhooks/events`, signed(ref, `msg_kill_${ref.replace("/", "_")}`));
      if (res.status === 201 || res.headers.get("Webhook-Replayed") === "true") acknowledged.add(ref);
    } catch {
      // the server is down: sent again below
    }
  };
  for (const ref of refs.slice(0, EVENTS / 2)) await send(ref);
  // Killed while the workflows post the first half.
  for (let i = 0; i < 200 && (await endpoint.stats()).inFlight === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const cut = (await endpoint.stats()).inFlight;
  await server.kill();
  await server.start();
  await endpoint.setup({ delayMs: 0 });
  for (const ref of refs) if (!acknowledged.has(ref)) await send(ref);
  expect(acknowledged.size).toBe(EVENTS);

  // Generous: on a busy shared machine the workflows and the sweep run several times slower.
  const end = Date.now() + 240_000;
  // Only this test's cases: the cron also opens the obligations today's date makes due (e.g. the Procura's
  // quarterly compliance data near a quarter's end), and their deadline.opened reaches the same subscription.
  const ours = new Set(refs);
  const refOf = (r: { body: string }) => (JSON.parse(r.body) as { data: { case: { ref: string } } }).data.case.ref;
  const takenRefs = async () => new Set((await endpoint.received()).filter((r) => r.status === 200).map(refOf).filter((ref) => ours.has(ref)));
  while ((await takenRefs()).size < EVENTS && Date.now() < end) {
    await server.cron();
    await new Promise((r) => setTimeout(r, 1500));
  }
  const received = (await endpoint.received()).filter((r) => ours.has(refOf(r)));
  const taken = received.filter((r) => r.status === 200);
  const byId = new Map<string, Set<string>>();
  for (const r of taken) byId.set(r.id!, (byId.get(r.id!) ?? new Set()).add(refOf(r)));
  const duplicates = taken.length - byId.size;
  console.log(`[outbound-kill] ${cut} posts in flight at the kill; ${EVENTS} events acknowledged; ${taken.length} posts taken for ${byId.size} webhook-ids (${duplicates} repeated under the same id); ${received.length} requests in all`);
  expect(cut).toBeGreaterThan(0);
  expect(await takenRefs()).toEqual(new Set(refs));
  // One webhook-id per event: a repeat is the same event, never a new one.
  expect(byId.size).toBe(EVENTS);
  expect([...byId.values()].every((s) => s.size === 1)).toBe(true);
  expect(received.every((r) => r.verified)).toBe(true);
  // The cases, and the deliveries that carried them, are Turin's: none in the central database.
  await server.stop();
  const mine = `SELECT id FROM cases WHERE ref GLOB '31000[0-9][0-9]/2026'`;
  const count = async (binding: string, sql: string) => (await query<{ n: number }>(state, sql, undefined, binding))[0]!.n;
  expect([
    await count("DISTRICT_TO", `SELECT count(*) AS n FROM (${mine})`), await count("DB", `SELECT count(*) AS n FROM (${mine})`),
    await count("DB", "SELECT count(*) AS n FROM outbound_deliveries"),
  ]).toEqual([EVENTS, 0, 0]);
  expect(await count("DISTRICT_TO", `SELECT count(*) AS n FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id WHERE e.case_id IN (${mine})`)).toBeGreaterThanOrEqual(EVENTS);
}, 600_000);
