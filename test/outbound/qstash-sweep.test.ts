/**
 * The sweep's QStash side against the local fake (paused, so nothing is
 * delivered and each row stays where the sweep put it): due rows published
 * in batches of a hundred, QStash down, and published rows whose outcome
 * never arrived looked up in QStash — still queued, in its dead-letter
 * queue, or gone.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { database } from "../../src/db/client.js";
import { sweepOutbound } from "../../src/outbound/sweep.js";
import { ADMIN_TOKEN, fetchWith } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";

const TOKEN = `qstash-sweep-${crypto.randomUUID()}`;
const CHECK_AFTER = 3_600_000;
let url: string;
let bindings: Bindings;
let sub: Awaited<ReturnType<typeof subscribe>>;

const control = async (action: string, body?: unknown) =>
  (await fetch(`${url}/__control/${action}?account=${TOKEN}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;

type Row = { id: string; status: string; dueAt: number; messageId: string | null; dlqId: string | null; attempts: number };
const rows = async (prefix: string) => (await env.DB.prepare(
  "SELECT id, status, due_at AS dueAt, message_id AS messageId, dlq_id AS dlqId, attempts FROM outbound_deliveries WHERE id LIKE ? ORDER BY id",
).bind(`${prefix}%`).all<Row>()).results;

/** Earlier tests' published rows settled, so that a look-up sweep sees only this test's. */
const settleOthers = () => env.DB.prepare("UPDATE outbound_deliveries SET status = 'delivered' WHERE status = 'published'").run();

/** `n` deliveries due at `at`, under ids starting with `prefix`. */
async function due(prefix: string, n: number, at: number): Promise<void> {
  const stmts = Array.from({ length: n }, (_, i) => {
    const eventId = `${prefix}${String(i).padStart(4, "0")}`;
    const body = JSON.stringify({ type: "webhook.test", timestamp: "2026-11-24T08:00:00+01:00", data: { n: i } });
    return [
      env.DB.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES (?, 'webhook.test', NULL, ?, ?)").bind(eventId, body, at),
      env.DB.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, status, due_at, created_at) VALUES (?, ?, ?, 'pending', ?, ?)").bind(`${eventId}.${sub.id}`, eventId, sub.id, at, at),
    ];
  }).flat();
  for (let i = 0; i < stmts.length; i += 200) await env.DB.batch(stmts.slice(i, i + 200));
}

beforeAll(async () => {
  url = inject("fakeQStashUrl");
  bindings = { ...env, QSTASH_TOKEN: TOKEN, QSTASH_URL: url, QSTASH_CHECK_AFTER_MS: String(CHECK_AFTER) } as Bindings;
  await control("pause", { paused: true });
  sub = await subscribe(`qstash-sweep-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: ["deadline.opened"], parallelism: 2, ratePerSecond: 5 });
});

describe("the sweep with QStash", () => {
  it("publishes 250 due deliveries in three batch requests, each with its own deduplication id and the subscription's flow control", async () => {
    const now = Date.now();
    await due("msg_batch_", 250, now - 1000);
    const before = (await control("stats")).batches as number;
    const counts = await sweepOutbound(bindings, database(bindings.DB), now, now + 60_000);
    expect(counts.published).toBe(250);
    expect((await control("stats")).batches as number - before).toBe(3);
    const published = await rows("msg_batch_");
    expect(published.every((r) => r.status === "published" && r.messageId?.startsWith("msg_") && r.attempts === 0)).toBe(true);
    // Asked about if no outcome is heard within the hour.
    expect(published.every((r) => r.dueAt >= now + CHECK_AFTER && r.dueAt < now + CHECK_AFTER + 60_000)).toBe(true);
    const sent = ((await control("published")) as unknown as { headers: Record<string, string>; destination: string }[]).filter((p) => p.headers["upstash-forward-termini-delivery"]?.startsWith("msg_batch_"));
    expect(sent).toHaveLength(250);
    expect(new Set(sent.map((p) => p.headers["upstash-deduplication-id"]))).toEqual(new Set(published.map((r) => r.id)));
    expect(sent[0]).toMatchObject({
      destination: `${env.APP_BASE_URL}/webhooks/qstash/relay`,
      headers: { authorization: `Bearer ${TOKEN}`, "upstash-flow-control-key": sub.id, "upstash-flow-control-value": "parallelism=2, rate=5", "upstash-retries": "5" },
    });
    // A second sweep finds nothing due: nothing published twice.
    expect((await sweepOutbound(bindings, database(bindings.DB), now, now + 60_000)).published).toBe(0);
  });

  it("with QStash answering 503 leaves every row due again with backoff, and publishes them once it is back", async () => {
    const now = Date.now();
    await due("msg_down_", 3, now - 1000);
    await control("outage", { status: 503 });
    const down = await sweepOutbound(bindings, database(bindings.DB), now, now + 60_000);
    await control("outage", { status: null });
    expect(down).toMatchObject({ published: 0, retrying: 3 });
    const waiting = await rows("msg_down_");
    expect(waiting.every((r) => r.status === "pending" && r.dueAt > now && r.messageId === null)).toBe(true);
    const log = await env.DB.prepare("SELECT count(*) AS n FROM outbound_attempts WHERE delivery_id LIKE 'msg_down_%' AND via = 'qstash' AND error = 'QStash ha risposto 503'").first<{ n: number }>();
    expect(log!.n).toBe(3);
    const later = Math.max(...waiting.map((r) => r.dueAt));
    expect((await sweepOutbound(bindings, database(bindings.DB), later, later + 60_000)).published).toBe(3);
    expect((await rows("msg_down_")).every((r) => r.status === "published")).toBe(true);
  });

  it("retries a message the batch refused, and publishes the others of the batch", async () => {
    const now = Date.now();
    await due("msg_refused_", 3, now - 1000);
    await control("refuse", { delivery: `msg_refused_0001.${sub.id}` });
    expect(await sweepOutbound(bindings, database(bindings.DB), now, now + 60_000)).toMatchObject({ published: 2, retrying: 1 });
    const [a, b, c] = await rows("msg_refused_");
    expect([a!.status, b!.status, c!.status]).toEqual(["published", "pending", "published"]);
    const log = await env.DB.prepare("SELECT error FROM outbound_attempts WHERE delivery_id = ?").bind(b!.id).all();
    expect(log.results).toEqual([{ error: "QStash ha rifiutato il messaggio: invalid flow control value" }]);
  });

  it("looks up published rows with no outcome heard: queued ones later, twice as late; DLQ ones dead with their dlqId; lost ones due again", async () => {
    await settleOthers();
    const now = Date.now();
    await due("msg_check_", 3, now - 1000);
    await sweepOutbound(bindings, database(bindings.DB), now, now + 60_000);
    const [queued, dead, lost] = await rows("msg_check_");
    const { dlqId } = await control("exhaust", { messageId: dead!.messageId });
    await control("forget", { messageId: lost!.messageId });
    // Its failure callback was sent to an address the fake cannot reach: lost, as when Termini is down.
    expect((await rows("msg_check_")).map((r) => r.status)).toEqual(["published", "published", "published"]);

    const first = now + CHECK_AFTER + 1000;
    const counts = await sweepOutbound(bindings, database(bindings.DB), first, first + 60_000);
    expect(counts).toMatchObject({ checked: 3, requeued: 1, dead: 1 });
    const after = await rows("msg_check_");
    expect(after[0]).toMatchObject({ status: "published", messageId: queued!.messageId });
    expect(after[0]!.dueAt).toBeGreaterThanOrEqual(first + CHECK_AFTER);
    expect(after[1]).toMatchObject({ status: "dead", dlqId });
    // Lost: due again at once; published by the same sweep's next run under a new deduplication id.
    expect(after[2]).toMatchObject({ status: "pending", messageId: lost!.messageId });
    expect(after[2]!.dueAt).toBeLessThanOrEqual(first + 60_000);

    const second = after[0]!.dueAt + 1000;
    const again = await sweepOutbound(bindings, database(bindings.DB), second, second + 60_000);
    expect(again).toMatchObject({ published: 1, checked: 1 });
    const [stillQueued, , republished] = await rows("msg_check_");
    // Asked next after as long again as it has been queued: two hours now.
    expect(stillQueued!.dueAt - second).toBeGreaterThan(2 * CHECK_AFTER);
    expect(republished).toMatchObject({ status: "published" });
    expect(republished!.messageId).not.toBe(lost!.messageId);
    const keys = ((await control("published")) as unknown as { headers: Record<string, string> }[])
      .filter((p) => p.headers["upstash-forward-termini-delivery"] === lost!.id).map((p) => p.headers["upstash-deduplication-id"]);
    expect(keys).toEqual([lost!.id, `${lost!.id}~${lost!.messageId}`]);
  });

  it("replays a delivery from QStash's DLQ as a new message, looked up an hour later if no outcome comes", async () => {
    await settleOthers();
    // Published two hours ago (the sweep's clock), dead in QStash's DLQ an hour later; replayed now.
    const then = Date.now() - 2 * CHECK_AFTER;
    await due("msg_replay_", 1, then - 1000);
    await sweepOutbound(bindings, database(bindings.DB), then, Date.now() + 60_000);
    const [published] = await rows("msg_replay_");
    await control("exhaust", { messageId: published!.messageId });
    // The failure callback is lost; the look-up finds the message in QStash's DLQ.
    const later = then + CHECK_AFTER + 1000;
    expect((await sweepOutbound(bindings, database(bindings.DB), later, Date.now() + 60_000)).dead).toBe(1);
    const settings = { ...bindings, QSTASH_CURRENT_SIGNING_KEY: "sig_current_sweep", QSTASH_NEXT_SIGNING_KEY: "sig_next_sweep" };
    const res = await fetchWith(settings, `/api/v1/subscriptions/${sub.id}/deliveries/${encodeURIComponent(published!.id)}/replay`, {
      method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: "published" });
    const [replayed] = await rows("msg_replay_");
    expect(replayed).toMatchObject({ status: "published", dlqId: null });
    expect(replayed!.messageId).not.toBe(published!.messageId);
    expect(replayed!.dueAt).toBeGreaterThan(Date.now() + CHECK_AFTER - 60_000);
  });

  it("changes nothing while QStash is down, and asks again at the next sweep", async () => {
    await settleOthers();
    const now = Date.now();
    await due("msg_away_", 1, now - 1000);
    await sweepOutbound(bindings, database(bindings.DB), now, now + 60_000);
    const [before] = await rows("msg_away_");
    const later = now + CHECK_AFTER + 1000;
    await control("outage", { status: 503 });
    const counts = await sweepOutbound(bindings, database(bindings.DB), later, later + 60_000);
    await control("outage", { status: null });
    expect(counts.checked).toBe(0);
    expect((await rows("msg_away_"))[0]).toEqual(before);
    expect((await sweepOutbound(bindings, database(bindings.DB), later, later + 60_000)).checked).toBe(1);
  });
});
