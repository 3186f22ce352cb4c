/**
 * A centre's system subscribed to a Procura's deadlines receives, for an
 * art. 362-bis case, deadline.opened, the reminders, the escalations and
 * deadline.closed — each signed so that the standardwebhooks library
 * verifies it, each with its own webhook-id, none twice, no personal data.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { api, ago, casePath, introspectEach, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";

const introspect = introspectEach();

type Body = { id: string; type: string; version: number; sequence: number; timestamp: string; data: Record<string, unknown> & { deadline?: { stage: string; status: string; dueAt: string }; reminder?: { rung: string }; escalation?: { rung: string; office: string } } };

describe("outbound webhooks for an art. 362-bis case", () => {
  it("deliver opened, reminders, escalations and closed, each verified by the standardwebhooks library", async () => {
    const { endpoint, id: subscription } = await subscribe(`story-${crypto.randomUUID()}`, {
      office: "procura-torino", kinds: ["deadline.opened", "deadline.reminder", "deadline.escalated", "deadline.closed"],
    });
    const introspector = await introspect(5);
    const ref = newRef();
    expect((await postWebhook(registration(ref, ago(3_600_000)))).status).toBe(201);
    const [wf] = introspector.get();
    await wf!.waitForStepResult({ name: "deliver pm-assessment/escalation-2" });
    await vi.waitFor(async () => expect((await endpoint.received()).length).toBe(6), { timeout: 30_000, interval: 200 });

    expect((await api("POST", `${casePath(ref)}/events`, { body: { type: "measures.requested", occurredAt: ago(1000) } })).status).toBe(201);
    await vi.waitFor(async () => expect((await endpoint.received()).length).toBeGreaterThanOrEqual(8), { timeout: 30_000, interval: 200 });

    const received = await endpoint.received();
    expect(received.every((r) => r.verified)).toBe(true);
    const bodies = received.map((r) => JSON.parse(r.body) as Body);
    const seen = bodies.map((b) => `${b.type} ${b.data.deadline?.stage} ${b.data.reminder?.rung ?? b.data.escalation?.rung ?? b.data.deadline?.status}`);
    expect(seen.slice(0, 6)).toEqual([
      "deadline.opened pm-assessment open",
      "deadline.reminder pm-assessment reminder-7d",
      "deadline.reminder pm-assessment reminder-2d",
      "deadline.reminder pm-assessment reminder-due-day",
      "deadline.escalated pm-assessment escalation-1",
      "deadline.escalated pm-assessment escalation-2",
    ]);
    // The request closes the assessment and opens the GIP's decision (the forced waits above ran the
    // workflow's clock ahead, so the GIP's escalations may follow too).
    expect(seen.slice(6)).toEqual(expect.arrayContaining(["deadline.closed pm-assessment met", "deadline.opened gip-decision open"]));
    expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
    expect(bodies[5]!.data.escalation!.office).toBe("pg-torino");
    const opened = bodies[0]!;
    expect(opened.data).toMatchObject({ case: { ref, office: "procura-torino" }, timeline: { id: "362-bis", version: 1 } });
    expect(opened.data.deadline!.dueAt).toMatch(/^\d{4}-\d\d-\d\dT23:59:59\+0[12]:00$/);
    expect(opened.data.link).toBe(`${env.APP_BASE_URL}/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`);
    expect(opened.timestamp).toMatch(/\+0[12]:00$/);

    // Every body names its event (the webhook-id), its format's version and its place in the case's order;
    // the headers name the type, the delivery and the attempt, for a receiver that routes before parsing.
    for (const [i, r] of received.entries()) {
      expect(bodies[i]).toMatchObject({ id: r.id, version: 1 });
      expect([r.eventType, r.delivery, r.attempt]).toEqual([bodies[i]!.type, `${r.id}.${subscription}`, "1"]);
    }
    const sequences = bodies.map((b) => b.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    // Written in this order, so numbered in it: the assessment's events come before the request's.
    expect(sequences.slice(0, 6)).toEqual([...sequences.slice(0, 6)].sort((a, b) => a - b));
    const closed = bodies.find((b) => b.type === "deadline.closed")!;
    expect(closed.sequence).toBeGreaterThan(opened.sequence);

    // The event log gives the same events, in order, page by page with its cursor.
    const pages: { events: { payload: Body; delivery: { status: string } }[]; cursor: string; hasMore: boolean }[] = [];
    for (let after = ""; ;) {
      const res = await api("GET", `/api/v1/subscriptions/${subscription}/events?limit=3${after && `&after=${after}`}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as (typeof pages)[number];
      pages.push(page);
      after = page.cursor;
      if (!page.hasMore) break;
    }
    const logged = pages.flatMap((p) => p.events);
    // The timeline may still be writing (the GIP's escalations): everything received before the log was read
    // is in it, and everything it says was delivered has been received.
    const loggedIds = new Set(logged.map((e) => e.payload.id));
    expect(received.filter((r) => !loggedIds.has(r.id!)).map((r) => r.id)).toEqual([]);
    const receivedNow = new Set((await endpoint.received()).map((r) => r.id));
    expect(logged.filter((e) => e.delivery.status === "delivered" && !receivedNow.has(e.payload.id)).map((e) => e.payload.id)).toEqual([]);
    const logSeq = logged.map((e) => e.payload.sequence);
    expect(logSeq).toEqual([...logSeq].sort((a, b) => a - b));
    // Nothing after the last cursor, and the cursor stays where it was.
    const tail = (await (await api("GET", `/api/v1/subscriptions/${subscription}/events?after=${pages.at(-1)!.cursor}`)).json()) as (typeof pages)[number];
    expect([tail.events.length, tail.hasMore, tail.cursor]).toEqual([0, false, pages.at(-1)!.cursor]);
  });
});
