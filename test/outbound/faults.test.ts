/**
 * Nothing lost, nothing doubled, nobody flooded: outbound deliveries
 * against failing, dead and slow endpoints, driven by the sweep at
 * instants of the test's choice (the workflows are held idle).
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { outboundContext } from "../../src/outbound/context.js";
import { deliverOutbound } from "../../src/outbound/deliver.js";
import { sweep } from "../../src/workflows/sweep.js";
import { api, idleWorkflows, newRef, postWebhook, registration, runsHere } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";

let introspector: Awaited<ReturnType<typeof idleWorkflows>> | undefined;
afterEach(async () => {
  await introspector?.dispose();
  introspector = undefined;
});

/** A case registered for a Procura whose subscription wants deadline.opened: one delivery due now. */
async function openedFor(office: string, name: string, setup: Parameters<Awaited<ReturnType<typeof subscribe>>["endpoint"]["setup"]>[0] = {}) {
  const sub = await subscribe(name, { office, kinds: ["deadline.opened"] });
  await sub.endpoint.setup(setup);
  introspector = await idleWorkflows();
  expect((await postWebhook(registration(newRef()))).status).toBe(201);
  return sub;
}

const deliveryOf = (subscription: string) =>
  env.DB.prepare("SELECT * FROM outbound_deliveries WHERE subscription_id = ?").bind(subscription).all<{ id: string; status: string; attempts: number }>();

describe("an endpoint that fails", () => {
  it("answering 500 twice then 200 gets the event once, under the same webhook-id", async () => {
    const { endpoint, id } = await openedFor("procura-torino", `flaky-${crypto.randomUUID()}`);
    await endpoint.setup({ statuses: [500, 500] });
    const t0 = Date.now();
    for (const at of [t0, t0 + 31_000, t0 + 95_000, t0 + 200_000, t0 + 400_000]) await sweep(env, at);
    const received = await endpoint.received();
    expect(received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    expect(received.every((r) => r.verified)).toBe(true);
    const [d] = (await deliveryOf(id)).results;
    expect(d).toMatchObject({ status: "delivered", attempts: 3 });
  });

  it("that is down ends in the dead-letter queue, flagged once to the administrators, and is replayed when it is back", async () => {
    const settings = { ...env, WEBHOOK_RETRY_WINDOW_MS: "120000", WEBHOOK_ALERT_AFTER_MS: "60000" } as Bindings;
    const { endpoint, id } = await openedFor("procura-torino", `down-${crypto.randomUUID()}`, { always: 503 });
    const t0 = Date.now();
    for (let at = t0; at < t0 + 400_000; at += 40_000) await sweep(settings, at);
    const dead = (await (await api("GET", `/api/v1/subscriptions/${id}/deliveries?status=dead`)).json()) as { deliveries: { id: string; attempts: number; lastStatus: number }[] };
    expect(dead.deliveries).toHaveLength(1);
    expect(dead.deliveries[0]!.lastStatus).toBe(503);
    const attempts = (await endpoint.received()).length;
    expect(attempts).toBe(dead.deliveries[0]!.attempts);
    // Nothing more is tried by itself once dead.
    await sweep(settings, t0 + 10 * 3_600_000);
    expect((await endpoint.received()).length).toBe(attempts);
    const flags = await env.DB.prepare("SELECT subject, text FROM mail_outbox WHERE subject LIKE '%Webhook in errore%'").all<{ subject: string; text: string }>();
    expect(flags.results).toHaveLength(1);
    expect(flags.results[0]!.text).toContain("http://127.0.0.1:");
    expect(flags.results[0]!.text).not.toContain("/hooks/");

    await endpoint.setup({ always: null });
    const replayed = await api("POST", `/api/v1/subscriptions/${id}/deliveries/${dead.deliveries[0]!.id}/replay`);
    expect(await replayed.json()).toMatchObject({ outcome: "delivered", status: 200 });
    const received = await endpoint.received();
    expect(received.at(-1)).toMatchObject({ status: 200, verified: true, id: received[0]!.id });
    const view = (await (await api("GET", `/api/v1/subscriptions/${id}`)).json()) as { status: string; flaggedAt: string | null };
    expect(view).toMatchObject({ status: "active", flaggedAt: null });
  });

  it("is tried at most three times in a row per sweep, the rest left due for the next", async () => {
    const { endpoint, id } = await openedFor("procura-torino", `breaker-${crypto.randomUUID()}`, { always: 500 });
    for (let i = 0; i < 5; i++) expect((await postWebhook(registration(newRef()))).status).toBe(201);
    const counts = await sweep(env, Date.now());
    expect(counts.webhooks).toMatchObject({ retrying: 3, deferred: 3 });
    expect((await endpoint.received()).length).toBe(3);
    expect((await deliveryOf(id)).results.filter((d) => d.status === "pending")).toHaveLength(6);
  });
});

describe("a slow endpoint", () => {
  // 1,000 events; 250 in the edit–run loop (npm run test:unit), still more than a page of the delivery log (200).
  const BURST = Math.max(250, runsHere(1000));
  it(`never has more deliveries in flight than its parallelism, through a burst of ${BURST} events from 24 senders at once`, async () => {
    const { endpoint, id } = await subscribe(`slow-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: ["deadline.opened"], parallelism: 3 });
    await endpoint.setup({ delayMs: 15 });
    const now = Date.now();
    const ids = Array.from({ length: BURST }, (_, i) => `msg_burst${String(i).padStart(4, "0")}`);
    const stmts = ids.flatMap((e) => [
      env.DB.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES (?, 'deadline.opened', NULL, ?, ?)").bind(e, JSON.stringify({ type: "deadline.opened", n: e }), now),
      env.DB.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, instance_id, status, due_at, created_at) VALUES (?, ?, ?, NULL, 'pending', ?, ?)").bind(`${e}.${id}`, e, id, now, now),
    ]);
    for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
    const queue = ids.map((e) => `${e}.${id}`);
    const ctx = outboundContext(env);
    const sender = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const outcome = await deliverOutbound(ctx, next, ctx.now());
        // The subscription is full: this one waits its turn (a workflow step would retry it later).
        if (outcome === "busy") {
          queue.push(next);
          await new Promise((r) => setTimeout(r, 10));
        }
        else expect(outcome).toBe("delivered");
      }
    };
    await Promise.all(Array.from({ length: 24 }, sender));
    const stats = await endpoint.stats();
    expect(stats.maxInFlight).toBeGreaterThan(1);
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    const received = await endpoint.received();
    expect(received).toHaveLength(BURST);
    expect(new Set(received.map((r) => r.id)).size).toBe(BURST);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM outbound_deliveries WHERE subscription_id = ? AND status != 'delivered'").bind(id).first<{ n: number }>();
    expect(left!.n).toBe(0);
    // The delivery log lists 200 at once with their attempts (more than D1's 100 parameters per statement).
    const page = await api("GET", `/api/v1/subscriptions/${id}/deliveries?limit=200`);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { deliveries: { log: unknown[] }[] }).deliveries.filter((d) => d.log.length === 1)).toHaveLength(200);
  });
});

describe("a sender that dies mid-delivery", () => {
  it("leaves a claim that the sweep takes over once stale, and the event goes out once", async () => {
    const { endpoint, id } = await openedFor("procura-torino", `dead-sender-${crypto.randomUUID()}`);
    const [d] = (await deliveryOf(id)).results;
    const t0 = Date.now();
    // A sender took the row and died before answering.
    await env.DB.prepare("UPDATE outbound_deliveries SET status = 'sending', claim = 'gone', claimed_at = ?, attempts = 1 WHERE id = ?").bind(t0, d!.id).run();
    await sweep(env, t0 + 1000);
    expect(await endpoint.received()).toHaveLength(0);
    await sweep(env, t0 + 8 * 10_000 + 1000);
    await sweep(env, t0 + 8 * 10_000 + 2000);
    expect((await endpoint.received()).map((r) => r.status)).toEqual([200]);
    expect((await deliveryOf(id)).results[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });
});
