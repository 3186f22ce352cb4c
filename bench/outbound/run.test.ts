/**
 * npm run bench:outbound — outbound webhook events, the direct path against
 * QStash, in the same run, on the same D1 (workerd):
 * - direct: the sweep posts each due delivery to a receiver (the local fake,
 *   answering at once) and records it;
 * - QStash: the sweep publishes them in batches to the fake QStash (paused, so that
 *   its deliveries do not compete); then, for a sample, what QStash makes
 *   Termini do per event — the relay's request (verify, post, record) and
 *   the success callback — measured through the app with the same counting D1.
 * Each round creates EVENTS due deliveries (not counted), then times and
 * counts the path; rounds alternate which path goes first; medians printed.
 * A round that leaves any delivery undelivered or unpublished is invalid.
 */
import { env } from "cloudflare:workers";
import { inject, it } from "vitest";
import { createApp } from "../../src/app.js";
import type { Bindings } from "../../src/env.js";
import { database } from "../../src/db/client.js";
import { sweepOutbound } from "../../src/outbound/sweep.js";
import { fakeEndpoint } from "../../test/fake-endpoint/client.js";
import { qstashToken } from "../../test/fake-qstash/token.js";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SAMPLE = 100;
const TOKEN = "qstash-bench";
const KEYS = { QSTASH_CURRENT_SIGNING_KEY: "sig_bench_current", QSTASH_NEXT_SIGNING_KEY: "sig_bench_next" };

let statements = 0;
const counting: D1Database = new Proxy(env.DB, {
  get(target, prop) {
    if (prop === "prepare") return (sql: string) => (statements++, target.prepare(sql));
    const value = Reflect.get(target, prop);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const SECRET = "whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldC0wMTIzNDU2Nzg5";

/** A subscription to a receiver that verifies every signature and answers at once. */
async function subscription(name: string): Promise<{ id: string; url: string }> {
  const endpoint = fakeEndpoint(name);
  await endpoint.setup({ secret: SECRET });
  const id = `sub_bench_${name.replace(/[^a-z0-9]/g, "")}`;
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO subscriptions (id, office_id, url, kinds, parallelism, rate_per_second, created_at, created_by) VALUES (?, 'cuav-torino', ?, '[\"deadline.opened\"]', 50, 100, 0, 'bench')").bind(id, endpoint.url),
    env.DB.prepare("INSERT OR IGNORE INTO subscription_secrets (id, subscription_id, secret, created_at) VALUES (?, ?, ?, 0)").bind(`${id}-1`, id, SECRET),
  ]);
  return { id, url: endpoint.url };
}

/** EVENTS due deliveries for the subscription (one event each, as a morning of openings would make). */
async function due(subscriptionId: string, round: string): Promise<string[]> {
  const now = Date.now();
  const ids: string[] = [];
  const stmts = Array.from({ length: EVENTS }, (_, i) => {
    const eventId = `msg_${round}${String(i).padStart(5, "0")}`;
    ids.push(`${eventId}.${subscriptionId}`);
    const body = JSON.stringify({ type: "deadline.opened", timestamp: "2026-11-23T08:00:00+01:00", data: { case: { ref: `${i}/2026`, office: "procura-torino" } } });
    return [
      env.DB.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES (?, 'deadline.opened', NULL, ?, ?)").bind(eventId, body, now),
      env.DB.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, instance_id, status, due_at, created_at) VALUES (?, ?, ?, NULL, 'pending', ?, ?)").bind(`${eventId}.${subscriptionId}`, eventId, subscriptionId, now, now),
    ];
  }).flat();
  for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
  return ids;
}

async function statusCount(ids: string[], status: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM outbound_deliveries WHERE subscription_id = ? AND status = ? AND event_id LIKE ?`)
    .bind(ids[0]!.split(".")[1], status, `${ids[0]!.slice(0, 8)}%`).first<{ n: number }>();
  return row!.n;
}

async function timed(bindings: Bindings, ids: string[], status: string): Promise<{ perSecond: number; perEvent: number }> {
  statements = 0;
  const t0 = performance.now();
  await sweepOutbound(bindings, database(bindings.DB), Date.now(), Date.now() + 600_000);
  const seconds = (performance.now() - t0) / 1000;
  const done = await statusCount(ids, status);
  if (done !== EVENTS) throw new Error(`INVALID RUN: ${done} of ${EVENTS} ${status}`);
  return { perSecond: EVENTS / seconds, perEvent: statements / EVENTS };
}

/** What QStash's delivery and callback make Termini do, per event, through the app. */
async function relayCost(bindings: Bindings, ids: string[]): Promise<{ perEvent: number; failures: number }> {
  const app = createApp();
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  let failures = 0;
  const rows: { id: string; m: string; body: string }[] = [];
  for (const id of ids.slice(0, SAMPLE)) {
    rows.push({ id, ...(await env.DB.prepare("SELECT d.message_id AS m, e.body AS body FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id WHERE d.id = ?").bind(id).first<{ m: string; body: string }>())! });
  }
  statements = 0;
  for (const { id, ...row } of rows) {
    const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
      const url = `${bindings.APP_BASE_URL}${path}`;
      return app.fetch(new Request(`http://termini.test${path}`, { method: "POST", body, headers: { "Content-Type": "application/json", "Upstash-Signature": await qstashToken(KEYS.QSTASH_CURRENT_SIGNING_KEY, url, body), ...headers } }), bindings, ctx);
    };
    const relayed = await post("/webhooks/qstash/relay", row.body, { "Termini-Delivery": id });
    const callback = JSON.stringify({ status: 200, sourceMessageId: row.m, retried: 0, maxRetries: 5 });
    const recorded = await post("/webhooks/qstash/callback", callback);
    if (relayed.status !== 200 || recorded.status !== 200) failures++;
  }
  return { perEvent: statements / SAMPLE, failures };
}

it("measures outbound delivery: direct against QStash", async () => {
  const qstashUrl = inject("fakeQStashUrl");
  await fetch(`${qstashUrl}/__control/pause?account=${TOKEN}`, { method: "POST", body: JSON.stringify({ paused: true }) });
  const direct = await subscription("bench-direct");
  const viaQStash = await subscription("bench-qstash");
  const directEnv = { ...env, DB: counting } as Bindings;
  const qstashEnv = { ...env, DB: counting, QSTASH_TOKEN: TOKEN, QSTASH_URL: qstashUrl, ...KEYS } as Bindings;
  const results = { direct: [] as { perSecond: number; perEvent: number }[], publish: [] as { perSecond: number; perEvent: number }[], relay: [] as { perEvent: number; failures: number }[] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ["direct", "qstash"] : ["qstash", "direct"];
    for (const path of order) {
      if (path === "direct") results.direct.push(await timed(directEnv, await due(direct.id, `d${r}`), "delivered"));
      else {
        const ids = await due(viaQStash.id, `q${r}`);
        results.publish.push(await timed(qstashEnv, ids, "published"));
        results.relay.push(await relayCost(qstashEnv, ids));
      }
    }
  }
  const failures = results.relay.reduce((n, x) => n + x.failures, 0);
  const d = { rate: median(results.direct.map((x) => x.perSecond)), stmts: median(results.direct.map((x) => x.perEvent)) };
  const q = { rate: median(results.publish.map((x) => x.perSecond)), stmts: median(results.publish.map((x) => x.perEvent)), relay: median(results.relay.map((x) => x.perEvent)) };
  console.log(`\noutbound webhooks: ${EVENTS} due events per round, ${ROUNDS} rounds, medians; one sweep each; D1 counted in statements`);
  console.log(`direct (sweep posts to the receiver): ${d.rate.toFixed(0)} events/s, ${d.stmts.toFixed(1)} D1 statements per delivered event`);
  console.log(`QStash publish (sweep publishes):     ${q.rate.toFixed(0)} events/s, ${q.stmts.toFixed(1)} D1 statements per published event`);
  console.log(`QStash relay + callback (per event, ${SAMPLE} sampled): ${q.relay.toFixed(1)} D1 statements; total per event through QStash: ${(q.stmts + q.relay).toFixed(1)}`);
  console.log(`publishing rate / direct delivery rate: ${(q.rate / d.rate).toFixed(2)}x`);
  if (failures > 0) console.log(`INVALID RUN: ${failures} relayed requests not answered 200`);
  if (failures > 0) throw new Error("invalid run");
});
