import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cases, events, notifications, webhookDeliveries } from "../../src/db/schema.js";
import { ago, db, expectProblem, newRef, postWebhook, registration } from "./helpers.js";

async function rows() {
  const d = db();
  const [c] = await d.select({ n: count() }).from(cases);
  const [e] = await d.select({ n: count() }).from(events);
  return { cases: c!.n, events: e!.n };
}


describe("POST /webhooks/events", () => {
  it("starts art. 362-bis on suspect.registered, with the PM's deadline 30 days on", async () => {
    const ref = newRef();
    const res = await postWebhook(registration(ref, "2026-03-02T10:15:00+01:00"));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { timelines: { timeline: string }[]; deadlines: { stage: string; dueDate: string; office: string }[] };
    expect(body.timelines[0]!.timeline).toBe("362-bis");
    // 2 March + 30 days = 1 April 2026, a Wednesday and no holiday.
    expect(body.deadlines).toMatchObject([{ stage: "pm-assessment", dueDate: "2026-04-01", office: "procura-torino" }]);
  });

  it("resolves offices named in data and refuses an office of the wrong kind, naming the field", async () => {
    const ok = await postWebhook({ ...registration(newRef()), data: { offices: { procura: "procura-torino", gip: "gip-torino" } } });
    expect(ok.status).toBe(201);
    const before = await rows();
    const bad = await postWebhook({ ...registration(newRef()), data: { offices: { procura: "gip-torino" } } });
    const p = await expectProblem(bad, 422, "unknown_office");
    expect(p.parameter).toBe("data.offices.procura");
    expect(await rows()).toEqual(before);
  });

  it("returns the first response to a repeated webhook-id and records nothing new", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const first = await postWebhook(registration(newRef()), { id });
    const firstBody = await first.text();
    const before = await rows();
    const again = await postWebhook(registration(newRef()), { id });
    expect(again.status).toBe(first.status);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get("Webhook-Replayed")).toBe("true");
    expect(await rows()).toEqual(before);
  });

  it("refuses a wrong signature, a missing header and a stale timestamp with 401", async () => {
    const before = await rows();
    await expectProblem(await postWebhook(registration(newRef()), { secret: "whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==" }), 401, "webhook_signature_invalid");
    await expectProblem(await postWebhook(registration(newRef()), { signature: "v1,AAAA" }), 401, "webhook_signature_invalid");
    await expectProblem(await postWebhook(registration(newRef()), { omit: "webhook-signature" }), 401, "webhook_signature_missing");
    await expectProblem(await postWebhook(registration(newRef()), { omit: "webhook-id" }), 401, "webhook_signature_missing");
    const stale = Math.floor(Date.now() / 1000) - 301;
    await expectProblem(await postWebhook(registration(newRef()), { timestamp: stale }), 401, "webhook_timestamp_stale");
    const future = Math.floor(Date.now() / 1000) + 301;
    await expectProblem(await postWebhook(registration(newRef()), { timestamp: future }), 401, "webhook_timestamp_stale");
    expect(await rows()).toEqual(before);
  });

  it("accepts a signature made with any active secret of a rotating sender", async () => {
    const second = "whsec_cm90YXRlZC1zZWNyZXQtZm9yLXRoZS1kZW1vLXNlbmRlcg==";
    await db().run(`INSERT INTO webhook_secrets (id, sender_id, secret, created_at) VALUES ('demo-2', 'demo', '${second}', 0)` as never);
    expect((await postWebhook(registration(newRef()), { secret: second })).status).toBe(201);
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    // An expired secret no longer verifies.
    await db().run(`UPDATE webhook_secrets SET expires_at = 1 WHERE id = 'demo-2'` as never);
    await expectProblem(await postWebhook(registration(newRef()), { secret: second }), 401, "webhook_signature_invalid");
  });

  it("refuses an oversize body with 413 and a wrong content type with 415", async () => {
    const huge = { ...registration(newRef()), data: { jurisdiction: "TO", padding: "x".repeat(70_000) } };
    await expectProblem(await postWebhook(huge), 413, "payload_too_large");
    await expectProblem(await postWebhook(registration(newRef()), { contentType: "text/plain" }), 415, "unsupported_media_type");
  });

  it("refuses malformed JSON, schema errors, unknown event types and unknown cases, naming the field", async () => {
    const before = await rows();
    await expectProblem(await postWebhook("{not json"), 400, "malformed_json");
    const noRef = await expectProblem(await postWebhook({ type: "suspect.registered", occurredAt: ago(1000), data: {} }), 422, "invalid_body");
    expect(noRef.parameter).toBe("caseRef");
    const badTime = await expectProblem(await postWebhook({ ...registration(newRef()), occurredAt: "2026-03-02 10:00" }), 422, "invalid_body");
    expect(badTime.parameter).toBe("occurredAt");
    const name = await expectProblem(await postWebhook({ ...registration("Nome-Cognome") }), 422, "invalid_body");
    expect(name.parameter).toBe("caseRef");
    const type = await expectProblem(await postWebhook({ ...registration(newRef()), type: "suspect.arrested" }), 422, "unknown_event_type");
    expect(type.parameter).toBe("type");
    const unknown = await expectProblem(await postWebhook({ type: "measures.requested", caseRef: newRef(), occurredAt: ago(1000), data: {} }), 422, "unknown_case");
    expect(unknown.parameter).toBe("caseRef");
    // Free text has no place in event data: that is where names would go.
    const extra = await expectProblem(await postWebhook({ ...registration(newRef()), data: { note: "testo libero" } }), 422, "invalid_body");
    expect(extra.parameter).toBe("data");
    await expectProblem(await postWebhook({ ...registration(newRef()), occurredAt: new Date(Date.now() + 3_600_000).toISOString() }), 422, "event_in_future");
    expect(await rows()).toEqual(before);
  });

  it("answers a repeated refused delivery with the same problem", async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const first = await postWebhook({ ...registration(newRef()), type: "suspect.arrested" }, { id });
    expect(first.status).toBe(422);
    const again = await postWebhook({ ...registration(newRef()), type: "suspect.arrested" }, { id });
    expect(again.status).toBe(422);
    expect(await again.text()).toBe(await first.text());
    const stored = await db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)).all();
    expect(stored).toHaveLength(1);
  });

  it("refuses a second registration while the timeline runs, and writes no notifications for it", async () => {
    const ref = newRef();
    expect((await postWebhook(registration(ref))).status).toBe(201);
    const [before] = await db().select({ n: count() }).from(notifications);
    await expectProblem(await postWebhook(registration(ref)), 409, "timeline_already_running");
    const [after] = await db().select({ n: count() }).from(notifications);
    expect(after!.n).toBe(before!.n);
  });

  it("lets only one of two simultaneous registrations of a new case through, whole", async () => {
    const ref = newRef();
    const [a, b] = await Promise.all([postWebhook(registration(ref)), postWebhook(registration(ref))]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(["concurrent_update", "timeline_already_running"]).toContain(((await loser.json()) as { code: string }).code);
    const found = await db().select().from(cases).where(eq(cases.ref, ref)).all();
    expect(found).toHaveLength(1);
    const [evs] = await db().select({ n: count() }).from(events).where(eq(events.caseId, found[0]!.id));
    expect(evs!.n).toBe(1);
  });

  it("accepts a delivery for an office linked to its sender a moment ago, which the directory in memory does not know yet", async () => {
    // The isolate holds the directory as of this delivery (a copy used for up to a minute for a first look).
    expect((await postWebhook(registration(newRef()))).status).toBe(201);
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email) VALUES
        ('procura-genova', 'procura', 'Procura della Repubblica presso il Tribunale di Genova', 'GE', 'IT', '["procura.genova@example.org"]', 'segreteria.procura.genova@example.org'),
        ('gip-genova', 'gip', 'Ufficio GIP del Tribunale di Genova', 'GE', 'IT', '["gip.genova@example.org"]', 'cancelleria.gip.genova@example.org')`),
      env.DB.prepare("INSERT INTO sender_offices (sender_id, office_id) VALUES ('demo', 'procura-genova')"),
    ]);
    // The copy in memory would refuse it, and the refusal would be this webhook-id's answer for good.
    const id = `msg_${crypto.randomUUID()}`;
    const res = await postWebhook({ ...registration(newRef()), data: { jurisdiction: "GE" } }, { id });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { deadlines: { office: string }[] }).deadlines.map((d) => d.office)).toEqual(["procura-genova"]);
  });

  it("refuses a closing event for a stage that has not started", async () => {
    const ref = newRef();
    await postWebhook(registration(ref));
    await expectProblem(await postWebhook({ type: "measures.decided", caseRef: ref, occurredAt: ago(1000), data: {} }), 409, "stage_not_started");
  });
});
