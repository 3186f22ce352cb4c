/**
 * A subscriber runs its own subscription with its office's credential: it
 * changes the address (same checks), pauses and resumes (events meanwhile
 * in its log, unsent), redelivers any delivery under its webhook-id, rotates
 * the secret, sends a sample of every event type, sees each answer's start,
 * catches up from the event log; an endpoint failing for too long is
 * disabled with a notice to the office and the administrators. Every act
 * is audited.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { OUTBOUND_DATA, OUTBOUND_KINDS } from "../../src/outbound/events.js";
import { sweep } from "../../src/workflows/sweep.js";
import { retention } from "../../src/workflows/retention.js";
import { PROCURA_TOKEN, api, expectProblem, idleWorkflows, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";

let introspector: Awaited<ReturnType<typeof idleWorkflows>> | undefined;
afterEach(async () => {
  await introspector?.dispose();
  introspector = undefined;
});

const own = (method: string, path: string, body?: unknown) => api(method, path, { token: PROCURA_TOKEN, ...(body === undefined ? {} : { body }) });

async function actions(subscription: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT action FROM audit_log WHERE json_extract(detail, '$.subscription') = ? AND action != 'outbound.delivered' ORDER BY id")
    .bind(subscription).all<{ action: string }>();
  return rows.results.map((r) => r.action);
}

type LogPage = { events: { payload: { id: string; type: string; sequence: number; data: { case?: { ref: string } } }; delivery: { id: string; status: string } }[]; cursor: string; hasMore: boolean };

describe("a subscriber with its office's credential", () => {
  it("changes its address and events, but not the flow control, and another office's subscription is not found", async () => {
    const { id } = await subscribe(`own-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    const moved = await subscribe(`moved-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: ["deadline.opened"] });
    const changed = await own("PATCH", `/api/v1/subscriptions/${id}`, { url: moved.endpoint.url, kinds: ["deadline.opened", "deadline.closed"] });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ url: moved.endpoint.url, kinds: ["deadline.opened", "deadline.closed"] });
    // The same address checks as creation; nothing written when refused.
    const refused = await expectProblem(await own("PATCH", `/api/v1/subscriptions/${id}`, { url: "http://user:pw@127.0.0.1:9/x" }), 422, "invalid_body");
    expect(refused.parameter).toBe("url");
    await expectProblem(await own("PATCH", `/api/v1/subscriptions/${id}`, { parallelism: 40 }), 403, "forbidden");
    const stored = await env.DB.prepare("SELECT url, parallelism FROM subscriptions WHERE id = ?").bind(id).first<{ url: string; parallelism: number }>();
    expect(stored).toEqual({ url: moved.endpoint.url, parallelism: 2 });
    await expectProblem(await own("GET", `/api/v1/subscriptions/${moved.id}`), 404, "not_found");
    await expectProblem(await own("PATCH", `/api/v1/subscriptions/${moved.id}`, { enabled: false }), 404, "not_found");
    const rotated = await own("POST", `/api/v1/subscriptions/${id}/rotate`);
    expect(rotated.status).toBe(201);
    expect(await actions(id)).toEqual(["subscription.created", "subscription.updated", "subscription.secret-rotated"]);
  });

  it("pauses: events are logged unsent (skipped); resumed, it redelivers one under its webhook-id", async () => {
    const { id, endpoint } = await subscribe(`paused-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    expect(await (await own("PATCH", `/api/v1/subscriptions/${id}`, { enabled: false })).json()).toMatchObject({ status: "paused" });
    introspector = await idleWorkflows();
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    await sweep(env, Date.now());
    expect(await endpoint.received()).toEqual([]);
    const log = (await (await own("GET", `/api/v1/subscriptions/${id}/events`)).json()) as LogPage;
    expect(log.events.map((e) => [e.payload.type, e.payload.data.case?.ref, e.delivery.status])).toEqual([["deadline.opened", ref, "skipped"]]);
    // Redelivery waits for the subscription to be resumed.
    await expectProblem(await own("POST", `/api/v1/subscriptions/${id}/deliveries/${log.events[0]!.delivery.id}/replay`), 409, "subscription_disabled");
    expect(await (await own("PATCH", `/api/v1/subscriptions/${id}`, { enabled: true })).json()).toMatchObject({ status: "active" });
    const sent = await own("POST", `/api/v1/subscriptions/${id}/deliveries/${log.events[0]!.delivery.id}/replay`);
    expect(await sent.json()).toMatchObject({ outcome: "delivered", status: 200 });
    const received = await endpoint.received();
    expect(received.map((r) => [r.id, r.verified])).toEqual([[log.events[0]!.payload.id, true]]);
    expect(await actions(id)).toEqual(["subscription.created", "subscription.paused", "subscription.events-read", "subscription.resumed", "subscription.replayed"]);
  });

  it("paused with a delivery still due: at its time it is kept unsent (skipped), not given up", async () => {
    const { id, endpoint } = await subscribe(`due-paused-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    await endpoint.setup({ statuses: [503] });
    introspector = await idleWorkflows();
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    const t0 = Date.now();
    await sweep(env, t0);
    expect((await endpoint.received()).map((r) => r.status)).toEqual([503]);
    await own("PATCH", `/api/v1/subscriptions/${id}`, { enabled: false });
    await sweep(env, t0 + 3_600_000);
    expect((await endpoint.received()).length).toBe(1);
    const [d] = ((await (await own("GET", `/api/v1/subscriptions/${id}/deliveries`)).json()) as { deliveries: { status: string; lastError: string }[] }).deliveries;
    expect(d).toMatchObject({ status: "skipped", lastError: "abbonamento sospeso o disattivato: non inviato" });
  });

  it("sends a sample of every event type, shaped as the real one and marked as a sample", async () => {
    const { id, endpoint } = await subscribe(`samples-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    for (const type of OUTBOUND_KINDS) {
      const res = await own("POST", `/api/v1/subscriptions/${id}/sample`, { type });
      expect(await res.json(), type).toMatchObject({ outcome: "delivered", status: 200 });
    }
    const received = await endpoint.received();
    expect(received.map((r) => r.eventType)).toEqual([...OUTBOUND_KINDS]);
    for (const r of received) {
      const body = JSON.parse(r.body) as { id: string; type: keyof typeof OUTBOUND_DATA; sample: boolean; version: number; data: unknown };
      expect(r.verified).toBe(true);
      expect(body).toMatchObject({ id: r.id, sample: true, version: 1 });
      expect(OUTBOUND_DATA[body.type].safeParse(body.data).error, body.type).toBeUndefined();
    }
    await expectProblem(await own("POST", `/api/v1/subscriptions/${id}/sample`, { type: "deadline.deleted" }), 422, "invalid_body");
    // Samples count nothing: the event log leaves them out.
    expect(((await (await own("GET", `/api/v1/subscriptions/${id}/events`)).json()) as LogPage).events).toEqual([]);
  });

  it("sees the start of each answer, and refuses a cursor that is not the log's", async () => {
    const { id, endpoint } = await subscribe(`answers-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    await endpoint.setup({ statuses: [503] });
    await own("POST", `/api/v1/subscriptions/${id}/test`);
    const view = (await (await own("GET", `/api/v1/subscriptions/${id}`)).json()) as { deliveries: { lastResponse: string; log: { status: number; response: string }[] }[] };
    expect(view.deliveries[0]).toMatchObject({ lastResponse: '{"received":false}', log: [{ status: 503, response: '{"received":false}' }] });
    for (const after of ["nonsense", btoa("[1]"), btoa(JSON.stringify({ TO: -1 }))]) {
      expect((await expectProblem(await own("GET", `/api/v1/subscriptions/${id}/events?after=${encodeURIComponent(after)}`), 400, "invalid_parameter")).parameter).toBe("after");
    }
  });
});

describe("an endpoint that keeps failing", () => {
  it("is flagged to the office and the administrators after an hour, and disabled after the period, with a notice", async () => {
    const settings = { ...env, WEBHOOK_ALERT_AFTER_MS: "60000", WEBHOOK_DISABLE_AFTER_MS: "600000" } as Bindings;
    const { id, endpoint } = await subscribe(`disabled-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    await endpoint.setup({ always: 503 });
    introspector = await idleWorkflows();
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    const t0 = Date.now();
    for (let at = t0; at < t0 + 900_000; at += 60_000) await sweep(settings, at);
    const view = (await (await own("GET", `/api/v1/subscriptions/${id}`)).json()) as { status: string; disabledAt: string };
    expect(view.status).toBe("disabled");
    const mails = await env.DB.prepare("SELECT recipients, subject, text FROM mail_outbox WHERE text LIKE ? ORDER BY created_at").bind(`%${new URL(endpoint.url).origin}%`).all<{ recipients: string; subject: string; text: string }>();
    const subjects = mails.results.filter((m) => m.text.includes(`/webhook/${id}`)).map((m) => m.subject);
    expect(subjects).toEqual(["[Termini] Webhook in errore — Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli",
      "[Termini] Webhook disattivato — Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli"]);
    const last = mails.results.find((m) => m.subject.includes("disattivato") && m.text.includes(`/webhook/${id}`))!;
    expect(last.recipients).toContain("fasce.deboli.procura.torino@example.org");
    expect(last.recipients).toContain("amministratore@example.org");
    expect(last.text).toContain("dopo 10 minuti di errori continui");
    // Off: nothing more is sent, however long; it resumes only by hand.
    const tried = (await endpoint.received()).length;
    await sweep(settings, t0 + 3_600_000);
    expect((await endpoint.received()).length).toBe(tried);
    expect(await actions(id)).toContain("subscription.disabled");
    expect(await (await own("PATCH", `/api/v1/subscriptions/${id}`, { enabled: true })).json()).toMatchObject({ status: "active", failingSince: null });
  });
});

describe("the event log", () => {
  it("keeps entries for OUTBOUND_LOG_DAYS, leaves one still being delivered, and a case's sequence goes on after the purge", async () => {
    const { id, endpoint } = await subscribe(`purge-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
    await endpoint.setup({ always: 503 });
    introspector = await idleWorkflows();
    const [first, second] = [newRef(), newRef()];
    expect((await postWebhook(registration(first))).status).toBe(201);
    expect((await postWebhook(registration(second))).status).toBe(201);
    const rows = await env.DB.prepare("SELECT d.id, d.event_id, e.seq FROM outbound_deliveries d JOIN outbound_events e ON e.id = d.event_id WHERE d.subscription_id = ? ORDER BY d.rowid")
      .bind(id).all<{ id: string; event_id: string; seq: number }>();
    expect(rows.results).toHaveLength(2);
    const old = Date.now() - 31 * 86_400_000;
    // Both 31 days old; the first delivered long ago (to every subscription that had it), the second still due.
    await env.DB.batch([
      env.DB.prepare("UPDATE outbound_events SET created_at = ? WHERE id IN (?, ?)").bind(old, rows.results[0]!.event_id, rows.results[1]!.event_id),
      env.DB.prepare("UPDATE outbound_deliveries SET status = 'delivered' WHERE event_id = ?").bind(rows.results[0]!.event_id),
      env.DB.prepare("UPDATE outbound_deliveries SET status = 'pending' WHERE id = ?").bind(rows.results[1]!.id),
    ]);
    const counts = await retention(env, Date.now());
    expect(counts.outboundDeliveries).toBeGreaterThanOrEqual(1);
    const left = ((await (await own("GET", `/api/v1/subscriptions/${id}/events`)).json()) as LogPage).events.map((e) => e.delivery.id);
    expect(left).toEqual([rows.results[1]!.id]);
    // The first case's last event stays as the anchor of its sequence: the next one follows it, never restarts at 1.
    await endpoint.setup({ always: null });
    expect((await api("POST", `/api/v1/cases/${encodeURIComponent(first)}/events`, { body: { type: "measures.requested", occurredAt: new Date(Date.now() - 60_000).toISOString() } })).status).toBe(201);
    const next = await env.DB.prepare("SELECT max(e.seq) AS seq FROM outbound_events e WHERE e.case_id = (SELECT case_id FROM outbound_events WHERE id = ?)").bind(rows.results[0]!.event_id).first<{ seq: number }>();
    expect(next!.seq).toBeGreaterThan(rows.results[0]!.seq);
    // The anchor keeps its number only: what it said about the case is gone with the log's days.
    expect((await env.DB.prepare("SELECT body FROM outbound_events WHERE id = ?").bind(rows.results[0]!.event_id).first<{ body: string }>())!.body).toBe("{}");
  });
});
