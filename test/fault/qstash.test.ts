/**
 * Outbound webhooks through QStash, end to end on a real `wrangler dev`:
 * Termini publishes to the fake QStash (its REST API and headers), which
 * delivers with signed requests to Termini's relay, which signs afresh and
 * posts to a receiver that verifies with the standardwebhooks library;
 * callbacks record the outcome. Faults: a flaky endpoint, a dead one (the
 * DLQ, then a replay), a burst of 1,000 published in batches against a slow
 * one, lost callbacks, a message QStash lost, QStash unreachable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DevServer, execute, freshState } from "../../bench/dev-server.js";
import { startFakeQStash } from "../fake-qstash/server.js";
import { fakeEndpoint } from "../fake-endpoint/client.js";

const PORT = 8797;
const BURST = 1000;
const ADMIN = { Authorization: "Bearer termini-local-demo-token", "Content-Type": "application/json" };
const TOKEN = "qstash-fault-token";
const state = `.wrangler/qstash-state-${PORT}`;
let server: DevServer;
let qstash: Awaited<ReturnType<typeof startFakeQStash>>;
const control = async (action: string, body?: unknown) =>
  (await fetch(`${qstash.url}/__control/${action}?account=${TOKEN}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) })).json();

beforeAll(async () => {
  qstash = await startFakeQStash();
  const keys = (await control("keys")) as { current: string; next: string };
  await freshState(state);
  server = new DevServer(PORT, state, [
    "--test-scheduled", "--var", `APP_BASE_URL:http://127.0.0.1:${PORT}`, "--var", `QSTASH_TOKEN:${TOKEN}`, "--var", `QSTASH_URL:${qstash.url}`,
    "--var", `QSTASH_CURRENT_SIGNING_KEY:${keys.current}`, "--var", `QSTASH_NEXT_SIGNING_KEY:${keys.next}`,
    "--var", "WEBHOOK_RETRY_BASE_MS:1000", "--var", "WEBHOOK_ALERT_AFTER_MS:1000", "--var", "QSTASH_CHECK_AFTER_MS:1000",
  ]);
  await server.start();
}, 400_000);

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((r) => (qstash === undefined ? r() : qstash.server.close(() => r())));
});

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${server.base}${path}`, { method, headers: ADMIN, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as T };
}

async function subscription(name: string, extra: Record<string, unknown> = {}) {
  const endpoint = fakeEndpoint(name);
  const created = await api<{ id: string; secret: string }>("POST", "/api/v1/subscriptions", { office: "cuav-torino", url: endpoint.url, kinds: ["deadline.opened"], ...extra });
  expect(created.status).toBe(201);
  await endpoint.setup({ secret: created.json.secret });
  return { endpoint, id: created.json.id };
}

type Delivery = { id: string; status: string; attempts: number; lastStatus: number | null; log: { via: string; status: number | null }[] };
async function deliveries(id: string, status?: string): Promise<Delivery[]> {
  const res = await api<{ deliveries: Delivery[] }>("GET", `/api/v1/subscriptions/${id}/deliveries?limit=200${status === undefined ? "" : `&status=${status}`}`);
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.deliveries;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await control("stats"))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The cron's sweep, run again and again until the condition holds (what it waits for falls due with time). */
const sweepUntil = <T>(what: string, probe: () => Promise<T | undefined>) => until(what, async () => {
  const v = await probe();
  if (v === undefined) await server.cron();
  return v;
});

describe("through QStash", () => {
  it("publishes with the SDK's headers, the relay signs for the receiver, and the callback records it delivered", async () => {
    const { endpoint, id } = await subscription(`qs-happy-${crypto.randomUUID()}`, { parallelism: 2, ratePerSecond: 10 });
    const test = await api<{ delivery: string; outcome: string }>("POST", `/api/v1/subscriptions/${id}/test`);
    expect(test.json.outcome).toBe("published");
    const published = ((await control("published")) as { headers: Record<string, string>; destination: string }[]).find((p) => p.headers["upstash-deduplication-id"] === test.json.delivery)!;
    expect(published.destination).toBe(`${server.base}/webhooks/qstash/relay`);
    expect(published.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`, "upstash-retries": "5", "upstash-method": "POST", "upstash-flow-control-key": id,
      "upstash-flow-control-value": "parallelism=2, rate=10", "upstash-callback": `${server.base}/webhooks/qstash/callback`,
      "upstash-failure-callback": `${server.base}/webhooks/qstash/failure`, "upstash-forward-termini-delivery": test.json.delivery,
    });
    const [d] = await until("delivered", async () => {
      const all = await deliveries(id);
      return all[0]?.status === "delivered" ? all : undefined;
    });
    expect(d).toMatchObject({ attempts: 1, log: [{ via: "qstash", status: 200 }] });
    expect((await endpoint.received()).map((r) => [r.status, r.verified])).toEqual([[200, true]]);
  });

  it("an endpoint answering 500 twice then 200 gets the event once, retried by QStash", async () => {
    const { endpoint, id } = await subscription(`qs-flaky-${crypto.randomUUID()}`);
    await endpoint.setup({ statuses: [500, 500] });
    await api("POST", `/api/v1/subscriptions/${id}/test`);
    await until("delivered", async () => ((await deliveries(id))[0]?.status === "delivered" ? true : undefined));
    const received = await endpoint.received();
    expect(received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    expect(received.every((r) => r.verified)).toBe(true);
  });

  it("an endpoint that is down ends in QStash's DLQ and Termini's, flagged to the administrators, and a replay delivers it", async () => {
    const { endpoint, id } = await subscription(`qs-down-${crypto.randomUUID()}`);
    await endpoint.setup({ always: 503 });
    await control("timescale", { scale: 0.00005 });
    await api("POST", `/api/v1/subscriptions/${id}/test`);
    const [dead] = await until("dead", async () => {
      const d = await deliveries(id, "dead");
      return d.length > 0 ? d : undefined;
    });
    expect(dead).toMatchObject({ attempts: 6, lastStatus: 503 });
    expect(((await control("stats")) as { dlq: number }).dlq).toBe(1);
    const outbox = await api<{ mail: { subject: string }[] }>("GET", "/api/v1/outbox");
    expect(outbox.json.mail.filter((m) => m.subject.includes("Webhook in errore"))).toHaveLength(1);

    await endpoint.setup({ always: null });
    const replay = await api<{ outcome: string }>("POST", `/api/v1/subscriptions/${id}/deliveries/${dead!.id}/replay`);
    expect(replay.json.outcome).toBe("published");
    await until("delivered after replay", async () => ((await deliveries(id))[0]?.status === "delivered" ? true : undefined));
    expect(((await control("stats")) as { dlq: number }).dlq).toBe(0);
    expect((await endpoint.received()).at(-1)).toMatchObject({ status: 200, verified: true });
  }, 400_000);

  it("a burst of 1,000 due events is published by the sweep in batches and never has more in flight at the slow endpoint than its parallelism", async () => {
    const { endpoint, id } = await subscription(`qs-burst-${crypto.randomUUID()}`, { parallelism: 3, ratePerSecond: 100 });
    await endpoint.setup({ delayMs: 20 });
    // A morning's events, due at once (written straight into the local D1, as the event path would in its batches).
    const tag = id.slice(-8);
    const now = Date.now();
    const rows = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BURST})`;
    await execute(state, `${rows} INSERT INTO outbound_events (id, kind, case_id, body, created_at)
      SELECT printf('msg_burst_${tag}_%04d', i), 'webhook.test', NULL, json_object('type', 'webhook.test', 'timestamp', '2026-11-24T08:00:00+01:00', 'data', json_object('subscription', '${id}', 'n', i)), ${now} FROM n`);
    await execute(state, `${rows} INSERT INTO outbound_deliveries (id, event_id, subscription_id, instance_id, status, due_at, created_at)
      SELECT printf('msg_burst_${tag}_%04d.${id}', i), printf('msg_burst_${tag}_%04d', i), '${id}', NULL, 'pending', ${now}, ${now} FROM n`);
    const before = (await control("stats")) as { batches: number };
    const t0 = Date.now();
    await server.cron();
    // Claimed (sending) until QStash's answer is recorded: published once neither is left.
    await until("all published", async () => ((await deliveries(id, "pending")).length + (await deliveries(id, "sending")).length === 0 ? true : undefined));
    const batches = ((await control("stats")) as { batches: number }).batches - before.batches;
    console.log(`[qstash] ${BURST} published by one sweep in ${Date.now() - t0} ms, ${batches} batch requests`);
    expect(batches).toBe(Math.ceil(BURST / 100));
    await until("all received", async () => ((await endpoint.stats()).received >= BURST ? true : undefined), 480_000);
    console.log(`[qstash] ${BURST} received in ${Date.now() - t0} ms`);
    const stats = await endpoint.stats();
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(stats.maxInFlight).toBeGreaterThan(1);
    const received = await endpoint.received();
    expect(received.length).toBe(BURST);
    expect(new Set(received.map((r) => r.id)).size).toBe(BURST);
    expect(received.every((r) => r.verified)).toBe(true);
    await until("all delivered", async () => ((await deliveries(id, "delivered")).length === 200 && (await deliveries(id, "published")).length === 0 ? true : undefined));
  }, 600_000);

  it("a lost success callback loses nothing: the relay recorded the endpoint's answer", async () => {
    const { endpoint, id } = await subscription(`qs-lost-ok-${crypto.randomUUID()}`);
    await control("drop-callbacks", { drop: true });
    try {
      await api("POST", `/api/v1/subscriptions/${id}/test`);
      await until("delivered without a callback", async () => ((await deliveries(id))[0]?.status === "delivered" ? true : undefined));
      expect((await endpoint.received()).map((r) => r.status)).toEqual([200]);
    } finally {
      await control("drop-callbacks", { drop: false });
    }
  });

  it("a lost failure callback is found out by the sweep: the message in QStash's DLQ is dead in Termini's, flagged, and replayable", async () => {
    const { endpoint, id } = await subscription(`qs-lost-dead-${crypto.randomUUID()}`);
    await endpoint.setup({ always: 503 });
    await control("timescale", { scale: 0.00005 });
    await control("drop-callbacks", { drop: true });
    const dlqBefore = ((await control("stats")) as { dlq: number }).dlq;
    try {
      await api("POST", `/api/v1/subscriptions/${id}/test`);
      await until("six attempts", async () => ((await endpoint.received()).length === 6 ? true : undefined));
      // In QStash's DLQ: every callback this message would have had (the failure's last) has been dropped by now.
      await until("in QStash's DLQ", async () => (((await control("stats")) as { dlq: number }).dlq > dlqBefore ? true : undefined));
      expect((await deliveries(id))[0]?.status).toBe("published");
    } finally {
      await control("drop-callbacks", { drop: false });
    }
    await server.cron();
    const [dead] = await until("dead after the look-up", async () => {
      const d = await deliveries(id, "dead");
      return d.length > 0 ? d : undefined;
    });
    expect(dead).toMatchObject({ attempts: 6, lastStatus: 503 });
    await endpoint.setup({ always: null });
    const replay = await api<{ outcome: string }>("POST", `/api/v1/subscriptions/${id}/deliveries/${dead!.id}/replay`);
    expect(replay.json.outcome).toBe("published");
    await until("delivered after replay", async () => ((await deliveries(id))[0]?.status === "delivered" ? true : undefined));
    const received = await endpoint.received();
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
  }, 400_000);

  it("a message QStash no longer holds, with no outcome heard, is published afresh under the same webhook-id", async () => {
    const { endpoint, id } = await subscription(`qs-gone-${crypto.randomUUID()}`);
    await control("pause", { paused: true });
    const test = await api<{ delivery: string }>("POST", `/api/v1/subscriptions/${id}/test`);
    const ours = async () => ((await control("published")) as { headers: Record<string, string>; messageId: string }[])
      .filter((p) => p.headers["upstash-forward-termini-delivery"] === test.json.delivery);
    // QStash loses it (removed from its queue) before any delivery.
    await control("forget", { messageId: (await ours())[0]!.messageId });
    await control("pause", { paused: false });
    // Found lost by a sweep once QSTASH_CHECK_AFTER_MS has passed, published again by a later one, deduplicated on a new key.
    await sweepUntil("due again or delivered", async () => (["pending", "delivered"].includes((await deliveries(id))[0]?.status ?? "") ? true : undefined));
    await sweepUntil("delivered after being lost", async () => ((await deliveries(id))[0]?.status === "delivered" ? true : undefined));
    const keys = (await ours()).map((p) => p.headers["upstash-deduplication-id"]);
    expect(keys).toEqual([test.json.delivery, expect.stringMatching(new RegExp(`^${test.json.delivery.replace(/[.]/g, "\\.")}~msg_`))]);
    expect((await endpoint.received()).map((r) => r.status)).toEqual([200]);
  });

  it("with QStash unreachable nothing is lost: the delivery stays due and the sweep publishes it once QStash is back", async () => {
    const { endpoint, id } = await subscription(`qs-outage-${crypto.randomUUID()}`);
    await control("outage", { status: 503 });
    const test = await api<{ outcome: string; error: string }>("POST", `/api/v1/subscriptions/${id}/test`);
    expect(test.json).toMatchObject({ outcome: "retrying", error: "QStash ha risposto 503" });
    await control("outage", { status: null });
    // Due again after its retry delay: the sweep publishes it then.
    await sweepUntil("delivered after the outage", async () => ((await deliveries(id))[0]?.status === "delivered" ? true : undefined));
    expect((await endpoint.received()).map((r) => r.status)).toEqual([200]);
  });
});
