/**
 * QStash in the district layout: a district's deliveries are published under
 * addresses that name the district, and what QStash calls back is recorded
 * in the database its signed address names — an address changed in transit
 * no longer matches the signature.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { database } from "../../src/db/client.js";
import type { Bindings } from "../../src/env.js";
import { sweepOutbound } from "../../src/outbound/sweep.js";
import { api, fetchWith } from "../backbone/helpers.js";
import { qstashToken } from "../fake-qstash/token.js";

const TOKEN = `districts-qstash-${crypto.randomUUID()}`;
const KEYS = { QSTASH_CURRENT_SIGNING_KEY: "sig_current_districts", QSTASH_NEXT_SIGNING_KEY: "sig_next_districts" };
let url: string;
let bindings: Bindings;
let subscription: string;

const control = async (action: string, body?: unknown) =>
  (await fetch(`${url}/__control/${action}?account=${TOKEN}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) })).json();

/** A delivery in Milan's database: due (pending), or published as `messageId`. */
async function delivery(messageId?: string): Promise<string> {
  const eventId = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const id = `${eventId}.${subscription}`;
  const body = JSON.stringify({ type: "deadline.opened", timestamp: "2026-11-24T10:00:00+01:00", data: { n: eventId } });
  await env.DISTRICT_MI.batch([
    env.DISTRICT_MI.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES (?, 'deadline.opened', NULL, ?, 0)").bind(eventId, body),
    env.DISTRICT_MI.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, status, due_at, message_id, created_at) VALUES (?, ?, ?, ?, 0, ?, 0)")
      .bind(id, eventId, subscription, messageId === undefined ? "pending" : "published", messageId ?? null),
  ]);
  return id;
}

const status = async (id: string) => (await env.DISTRICT_MI.prepare("SELECT status FROM outbound_deliveries WHERE id = ?").bind(id).first<{ status: string }>())!.status;

function callback(signedFor: string, sentTo: string, messageId: string) {
  return async () => {
    const body = JSON.stringify({ status: 200, header: {}, body: "", retried: 0, maxRetries: 5, sourceMessageId: messageId, url: "", method: "POST", sourceHeader: {}, sourceBody: "" });
    const signature = await qstashToken(KEYS.QSTASH_CURRENT_SIGNING_KEY, `${env.APP_BASE_URL}${signedFor}`, body);
    return fetchWith({ ...bindings }, sentTo, { method: "POST", body, headers: { "Content-Type": "application/json", "Upstash-Signature": signature } });
  };
}

beforeAll(async () => {
  url = inject("fakeQStashUrl");
  bindings = { ...env, QSTASH_TOKEN: TOKEN, QSTASH_URL: url, ...KEYS } as Bindings;
  await control("pause", { paused: true });
  const res = await api("POST", "/api/v1/subscriptions", { body: { office: "procura-milano", url: "https://ricevente.example.org/termini", kinds: ["deadline.opened"] } });
  expect(res.status).toBe(201);
  subscription = ((await res.json()) as { id: string }).id;
});

describe("QStash across districts", () => {
  it("publishes a district's deliveries under relay and callback addresses that name the district", async () => {
    const id = await delivery();
    const now = Date.now();
    expect((await sweepOutbound(bindings, database(env.DISTRICT_MI, "MI"), now, now + 60_000)).published).toBe(1);
    const published = (await control("published")) as { destination: string; headers: Record<string, string> }[];
    expect(published).toHaveLength(1);
    expect(published[0]!.destination).toBe(`${env.APP_BASE_URL}/webhooks/qstash/relay?district=MI`);
    expect(published[0]!.headers["upstash-callback"]).toBe(`${env.APP_BASE_URL}/webhooks/qstash/callback?district=MI`);
    expect(published[0]!.headers["upstash-failure-callback"]).toBe(`${env.APP_BASE_URL}/webhooks/qstash/failure?district=MI`);
    expect(await status(id)).toBe("published");
  });

  it("records a callback in the database its signed address names, and refuses one whose district was changed", async () => {
    const messageId = `msg_${crypto.randomUUID()}`;
    const id = await delivery(messageId);
    // Signed for the address without the district, sent to Milan's: the signature no longer matches.
    const moved = await callback("/webhooks/qstash/callback", "/webhooks/qstash/callback?district=MI", messageId)();
    expect(moved.status).toBe(401);
    // Signed and sent for Turin's: Turin's database has no such delivery, and Milan's stays as it was.
    expect((await callback("/webhooks/qstash/callback?district=TO", "/webhooks/qstash/callback?district=TO", messageId)()).status).toBe(200);
    expect(await status(id)).toBe("published");
    expect((await callback("/webhooks/qstash/callback?district=MI", "/webhooks/qstash/callback?district=MI", messageId)()).status).toBe(200);
    expect(await status(id)).toBe("delivered");
  });
});
