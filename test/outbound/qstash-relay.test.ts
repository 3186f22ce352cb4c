/**
 * What QStash calls — the relay and the callbacks — accepts only requests
 * signed by QStash's current or next key for that URL and body, once: a
 * forged, altered, expired or replayed request is refused and changes
 * nothing. Tokens are made here as QStash makes them (HS256 JWT).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { fetchWith } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";
import { qstashToken } from "../fake-qstash/token.js";

const KEYS = { QSTASH_TOKEN: "qstash-test-token", QSTASH_CURRENT_SIGNING_KEY: "sig_current_test", QSTASH_NEXT_SIGNING_KEY: "sig_next_test" };
const settings = { ...KEYS } as Partial<Bindings>;
/** A token as QStash signs one, for this route of the app. */
const token = (key: string, path: string, body: string, o: Parameters<typeof qstashToken>[3] = {}) => qstashToken(key, `${env.APP_BASE_URL}${path}`, body, o);

const send = (path: string, body: string, signature: string | null, headers: Record<string, string> = {}) =>
  fetchWith(settings, path, { method: "POST", body, headers: { "Content-Type": "application/json", ...(signature === null ? {} : { "Upstash-Signature": signature }), ...headers } });

let sub: Awaited<ReturnType<typeof subscribe>>;
const row = (id: string) => env.DB.prepare("SELECT status, attempts, last_status AS lastStatus, dlq_id AS dlqId FROM outbound_deliveries WHERE id = ?").bind(id).first();

/** A delivery QStash holds (published as message `messageId`). */
async function published(messageId: string): Promise<{ id: string; body: string }> {
  const eventId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const body = JSON.stringify({ type: "deadline.opened", timestamp: "2026-11-23T10:00:00+01:00", data: { n: eventId } });
  const id = `${eventId}.${sub.id}`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES (?, 'deadline.opened', NULL, ?, 0)").bind(eventId, body),
    env.DB.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, status, due_at, message_id, created_at) VALUES (?, ?, ?, 'published', 0, ?, 0)").bind(id, eventId, sub.id, messageId),
  ]);
  return { id, body };
}

const callbackBody = (messageId: string, status: number, dlqId?: string) => JSON.stringify({
  status, header: {}, body: "", retried: 0, maxRetries: 5, sourceMessageId: messageId, url: `${env.APP_BASE_URL}/webhooks/qstash/relay`, method: "POST",
  sourceHeader: {}, sourceBody: "", notBefore: "0", createdAt: "0", callerIP: "127.0.0.1", ...(dlqId === undefined ? {} : { dlqId }),
});

beforeAll(async () => {
  sub = await subscribe(`qstash-relay-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: ["deadline.opened"] });
});

describe("the callback", () => {
  it("marks the delivery delivered when signed with the current key, and the next key works too", async () => {
    for (const key of [KEYS.QSTASH_CURRENT_SIGNING_KEY, KEYS.QSTASH_NEXT_SIGNING_KEY]) {
      const messageId = `msg_${crypto.randomUUID()}`;
      const { id } = await published(messageId);
      const body = callbackBody(messageId, 200);
      const res = await send("/webhooks/qstash/callback", body, await token(key, "/webhooks/qstash/callback", body));
      expect(res.status).toBe(200);
      expect(await row(id)).toMatchObject({ status: "delivered" });
    }
  });

  it("refuses a missing, forged, misaddressed, altered, expired, not-yet-valid or unsigned (alg none) request, changing nothing", async () => {
    const messageId = `msg_${crypto.randomUUID()}`;
    const { id } = await published(messageId);
    const body = callbackBody(messageId, 200);
    const path = "/webhooks/qstash/callback";
    const now = Math.floor(Date.now() / 1000);
    const refused: [string, string | null, string][] = [
      ["missing", null, body],
      ["another key", await token("sig_somebody_else", path, body), body],
      ["another URL", await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, "/webhooks/qstash/failure", body), body],
      ["altered body", await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, path, body), body.replace('"status":200', '"status":201')],
      ["expired", await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, path, body, { exp: now - 600 }), body],
      ["not yet valid", await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, path, body, { nbf: now + 600 }), body],
      ["another issuer", await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, path, body, { iss: "Somebody" }), body],
      ["alg none", (await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, path, body, { alg: "none" })).replace(/\.[^.]+$/, "."), body],
    ];
    for (const [why, signature, sent] of refused) {
      const res = await send(path, sent, signature);
      expect(res.status, why).toBe(401);
      expect((await res.json()) as { code: string }, why).toMatchObject({ code: signature === null ? "webhook_signature_missing" : "webhook_signature_invalid" });
    }
    expect(await row(id)).toMatchObject({ status: "published" });
  });

  it("refuses a replayed failure callback: the first marks the delivery dead with its DLQ id, the repeat gets 409", async () => {
    const messageId = `msg_${crypto.randomUUID()}`;
    const { id } = await published(messageId);
    const body = callbackBody(messageId, 502, "1700000000000-0");
    const signature = await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, "/webhooks/qstash/failure", body);
    expect((await send("/webhooks/qstash/failure", body, signature)).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: "dead", dlqId: "1700000000000-0" });
    const again = await send("/webhooks/qstash/failure", body, signature);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: "webhook_replayed" });
  });
});

describe("the relay", () => {
  it("signs the event afresh for the subscriber, logs the attempt, answers 502 for QStash to retry when the endpoint fails, and records the delivery itself when it takes it", async () => {
    const messageId = `msg_${crypto.randomUUID()}`;
    const { id, body } = await published(messageId);
    await sub.endpoint.setup({ statuses: [500] });
    const relay = async () => send("/webhooks/qstash/relay", body, await token(KEYS.QSTASH_CURRENT_SIGNING_KEY, "/webhooks/qstash/relay", body), { "Termini-Delivery": id });
    expect((await relay()).status).toBe(502);
    expect(await row(id)).toMatchObject({ status: "published", attempts: 1, lastStatus: 500 });
    expect((await relay()).status).toBe(200);
    const received = (await sub.endpoint.received()).filter((r) => r.body === body);
    expect(received.map((r) => [r.status, r.verified])).toEqual([[500, true], [200, true]]);
    expect(new Set(received.map((r) => r.id)).size).toBe(1);
    // Delivered on the relay's own record: a success callback that never comes loses nothing.
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 200 });
    const log = await env.DB.prepare("SELECT via, status FROM outbound_attempts WHERE delivery_id = ? ORDER BY id").bind(id).all();
    expect(log.results).toEqual([{ via: "qstash", status: 500 }, { via: "qstash", status: 200 }]);
  });

  it("refuses a request QStash did not sign, and sends nothing", async () => {
    const { id, body } = await published(`msg_${crypto.randomUUID()}`);
    const before = (await sub.endpoint.received()).length;
    const res = await send("/webhooks/qstash/relay", body, await token("sig_forged", "/webhooks/qstash/relay", body), { "Termini-Delivery": id });
    expect(res.status).toBe(401);
    expect((await sub.endpoint.received()).length).toBe(before);
  });

  it("is not there at all without QStash's signing keys", async () => {
    const res = await fetchWith({}, "/webhooks/qstash/callback", { method: "POST", body: "{}", headers: { "Content-Type": "application/json", "Upstash-Signature": "x.y.z" } });
    expect(res.status).toBe(404);
  });
});
