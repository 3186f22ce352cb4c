/**
 * Which facts become outbound events, for whom, and with what body: each
 * written in the batch of the change, delivered here by the sweep (the
 * workflows are held idle).
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sweep } from "../../src/workflows/sweep.js";
import { and, asc, eq } from "drizzle-orm";
import { deadlines } from "../../src/db/schema.js";
import { getTimeline } from "../../src/timelines/catalog.js";
import { api, db, idleWorkflows, newRef, record } from "../backbone/helpers.js";
import { subscribe } from "./helpers.js";

const ALL = ["deadline.opened", "deadline.reminder", "deadline.escalated", "deadline.closed", "deadline.changed", "timeline.ended", "report.published"];
let introspector: Awaited<ReturnType<typeof idleWorkflows>> | undefined;
afterEach(async () => {
  await introspector?.dispose();
  introspector = undefined;
});

let procura: Awaited<ReturnType<typeof subscribe>>;
beforeAll(async () => {
  procura = await subscribe(`events-procura-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ALL });
});

type Body = { type: string; sequence: number; data: { deadline?: { id: string; stage: string; status: string; dueAt: string }; previousDueAt?: string; timeline?: { status?: string }; report?: { kind: string; version: number } } };
const bodies = async (e: typeof procura.endpoint) => (await e.received()).map((r) => ({ ...(JSON.parse(r.body) as Body), id: r.id, verified: r.verified }));
const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM outbound_events").first<{ n: number }>())!.n;

describe("an event on a case", () => {
  it("writes nothing when no subscription wants it (a Milan case, subscriptions in Turin)", async () => {
    introspector = await idleWorkflows();
    const before = await count();
    const res = await api("POST", `/api/v1/cases/${encodeURIComponent(newRef())}/events`, {
      body: { type: "suspect.registered", occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "MI" } },
    });
    expect(res.status).toBe(201);
    expect(await count()).toBe(before);
  });

  it("tells a correction as deadline.changed with the previous date, a cancellation as deadline.closed and timeline.ended", async () => {
    introspector = await idleWorkflows();
    const ref = newRef();
    const start = await record(ref, "suspect.registered", "2026-11-02T10:00:00+01:00", { jurisdiction: "TO" });
    const fixed = await record(ref, "event.corrected", "2026-11-20T10:00:00+01:00", { eventId: start.body.event.id, occurredAt: "2026-11-01T09:00:00+01:00" });
    expect(fixed.status).toBe(201);
    const cancelled = await record(ref, "event.cancelled", "2026-11-21T10:00:00+01:00", { eventId: start.body.event.id });
    expect(cancelled.status).toBe(201);
    await sweep(env, Date.now());

    const mine = (await bodies(procura.endpoint)).filter((b) => b.data.deadline?.id.startsWith(start.body.timelines[0]!.instanceId) || b.type === "timeline.ended");
    expect(mine.map((b) => `${b.type} ${b.data.deadline?.status ?? b.data.timeline?.status}`)).toEqual([
      "deadline.opened open", "deadline.changed open", "deadline.closed withdrawn", "timeline.ended withdrawn",
    ]);
    const [opened, changed] = mine;
    expect(changed!.data.previousDueAt).toBe(opened!.data.deadline!.dueAt);
    expect(changed!.data.deadline!.dueAt < opened!.data.deadline!.dueAt).toBe(true);
    expect(mine.every((b) => b.verified)).toBe(true);
  });

  it("gives the same fact the same webhook-id: a replayed event writes no second event", async () => {
    introspector = await idleWorkflows();
    const ref = newRef();
    const body = { type: "suspect.registered", occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" } };
    const headers = { "Idempotency-Key": `replay-${ref}` };
    expect((await api("POST", `/api/v1/cases/${encodeURIComponent(ref)}/events`, { body, headers })).status).toBe(201);
    const after = await count();
    expect((await api("POST", `/api/v1/cases/${encodeURIComponent(ref)}/events`, { body, headers })).status).toBe(200);
    expect(await count()).toBe(after);
  });
});

describe("what time does to a case", () => {
  it("tells a lapse as deadline.closed with the law's effect (art. 384-bis co. 2-bis c.p.p.: no request for validation in 48 hours)", async () => {
    introspector = await idleWorkflows();
    const ref = newRef();
    const start = await record(ref, "removal.executed", new Date(Date.now() - 50 * 3_600_000).toISOString(), { jurisdiction: "TO" });
    const request = start.body.deadlines.find((d) => d.stage === "validation-request")!;
    await sweep(env, Date.now()); // records the lapse, and writes its event ...
    await sweep(env, Date.now()); // ... which the next pass delivers
    const closed = (await bodies(procura.endpoint)).filter((b) => b.type === "deadline.closed" && b.data.deadline?.id === request.id);
    const effect = getTimeline("384-bis")!.stages.find((s) => s.id === "validation-request")!.consequence.effect;
    expect(closed).toMatchObject([{ verified: true, data: { deadline: { status: "lapsed" }, outcome: effect } }]);
  });

  it("closes a year without a plenary as late and opens the next, which a plenary held before it opened already meets (the protocol: «una volta all'anno»)", async () => {
    introspector = await idleWorkflows();
    const metro = await subscribe(`events-metro-${crypto.randomUUID()}`, { office: "citta-metropolitana-torino", kinds: ["deadline.opened", "deadline.closed"] });
    const ref = newRef();
    const start = await record(ref, "protocol.approved", "2025-02-10T10:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    // A plenary on New Year's morning, recorded before the sweep has opened the year's period.
    expect((await record(ref, "protocol.plenary-held", "2026-01-01T00:01:00+01:00")).status).toBe(201);
    await sweep(env, Date.parse("2026-01-01T00:05:00+01:00")); // the year rolls over ...
    await sweep(env, Date.now()); // ... and its events, written now, are delivered now
    // The two years' periods (from 2027 on, the second sweep rolls 2026 over too), in the order
    // written: delivery order is not guaranteed, the sequence is.
    const [first, second] = (await db().select().from(deadlines).where(and(eq(deadlines.instanceId, id), eq(deadlines.stage, "plenary"))).orderBy(asc(deadlines.seq)).all());
    const year = new Map([[first!.id, "2025"], [second!.id, "2026"]]);
    const plenary = (await bodies(metro.endpoint)).filter((b) => year.has(b.data.deadline?.id ?? "")).sort((x, y) => x.sequence - y.sequence);
    expect(plenary.map((b) => `${b.type} ${year.get(b.data.deadline!.id)} ${b.data.deadline!.status}`)).toEqual([
      "deadline.opened 2025 open", "deadline.closed 2025 late", "deadline.opened 2026 open", "deadline.closed 2026 met",
    ]);
    expect(plenary.at(-1)!.data).toMatchObject({ outcome: "plenaria tenuta nell'anno" });
    expect(second).toMatchObject({ status: "met", outcome: "plenaria tenuta nell'anno" });
  });
});

describe("a report", () => {
  it("is published to the filing region's subscription with a link to that version", async () => {
    const region = await subscribe(`events-region-${crypto.randomUUID()}`, { office: "regione-piemonte", kinds: ["report.published"] });
    const REGION = "termini-local-regione-token";
    expect((await api("GET", "/api/v1/reports/regional/2025?format=json", { token: REGION })).status).toBe(200);
    expect((await api("POST", "/api/v1/reports/regional/2025/submit", { token: REGION })).status).toBe(200);
    await sweep(env, Date.now());
    const [published] = await bodies(region.endpoint);
    expect(published).toMatchObject({ type: "report.published", verified: true, data: { report: { kind: "regional", period: "2025", scope: "Piemonte", version: 1 } } });
    expect((published!.data as { link: string }).link).toBe(`${env.APP_BASE_URL}/api/v1/reports/regional/2025?version=1&region=Piemonte`);
  });
});
