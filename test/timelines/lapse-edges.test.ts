/**
 * A lapse against everything else that can happen to its stage: an act racing it, its cancellation
 * and correction, who may take it back; and the other moves issue 25 added (a restarted term taken
 * back, a hearing closed by the decision, a period met late).
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Principal } from "../../src/auth/principal.js";
import { readEventState } from "../../src/db/event-state.js";
import { deadlines, events, notifications, timelineInstances } from "../../src/db/schema.js";
import { applyEvent } from "../../src/domain/events/apply-event.js";
import { DomainFailure } from "../../src/domain/failure.js";
import { sweep } from "../../src/workflows/sweep.js";
import { type Recorded, api, casePath, db, idleWorkflows, newRef, postWebhook, record, senderFor } from "../backbone/helpers.js";

// The sweep, called by each test, records the lapses; the workflows wait.
let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

const GIP_TOKEN = "termini-local-gip-token";
const ADMIN: Principal = { id: "credential:lapse-edges", role: "admin", offices: new Set() };
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const statusOf = async (id: string) => (await db().select().from(deadlines).where(eq(deadlines.id, id)).get())!;
const lapseEvent = async (deadlineId: string) => (await db().select().from(events).where(eq(events.idempotencyKey, `lapse:${deadlineId}`)).get())!;
async function hook(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}, secret?: string): Promise<Recorded> {
  const res = await postWebhook({ type, caseRef: ref, occurredAt, data }, secret === undefined ? {} : { secret });
  return { status: res.status, body: (await res.json()) as Recorded["body"] };
}
const as = async (token: string, ref: string, type: string, occurredAt: string, data: Record<string, unknown>) => {
  const res = await api("POST", `${casePath(ref)}/events`, { token, body: { type, occurredAt, data } });
  return { status: res.status, body: (await res.json()) as Recorded["body"] };
};

describe("a lapse and an act that race", () => {
  it("lets nothing of an act land when the stage lapsed between the act's read and its write", async () => {
    const ref = newRef();
    const executed = Date.now() - 50 * HOUR;
    const start = await record(ref, "removal.executed", iso(executed), { jurisdiction: "TO" });
    const d = start.body.deadlines[0]!;
    // The request's read happens first, the stage still open (its act dated in time) ...
    const state = await readEventState(db(), { idempotencyKey: "race-1", ref });
    // ... then the lapse is recorded ...
    await sweep(env, Date.now());
    expect((await statusOf(d.id)).status).toBe("lapsed");
    // ... then the request's batch: refused whole, to be retried (and then refused with the reason).
    const apply = applyEvent(db(), ADMIN, { type: "validation.requested", caseRef: ref, occurredAt: iso(executed + 47 * HOUR), data: {} },
      { idempotencyKey: "race-1", now: Date.now(), requestId: null, billEnabled: () => false, read: { state } });
    await expect(apply).rejects.toMatchObject({ code: "concurrent_update" } satisfies Partial<DomainFailure>);
    expect(await db().select().from(events).where(eq(events.idempotencyKey, "race-1")).all()).toEqual([]);
    expect((await db().select().from(deadlines).where(eq(deadlines.instanceId, start.body.timelines[0]!.instanceId)).all()).map((x) => x.stage)).toEqual(["validation-request"]);
    const retried = await record(ref, "validation.requested", iso(executed + 47 * HOUR));
    expect([retried.status, retried.body.code]).toEqual([409, "stage_lapsed"]);
  });

  it("records no lapse of a stage an act has closed since the lapse row was read", async () => {
    const ref = newRef();
    const start = await record(ref, "removal.executed", iso(Date.now() - 50 * HOUR), { jurisdiction: "TO" });
    const d = start.body.deadlines[0]!;
    await record(ref, "validation.requested", iso(Date.now() - 3 * HOUR));
    await sweep(env, Date.now());
    expect((await statusOf(d.id)).status).toBe("met");
    expect(await db().select().from(events).where(eq(events.idempotencyKey, `lapse:${d.id}`)).all()).toEqual([]);
    const row = (await db().select().from(notifications).where(and(eq(notifications.deadlineId, d.id), eq(notifications.kind, "lapse"))).get())!;
    expect(row.status).toBe("cancelled");
  });
});

describe("taking a lapse back", () => {
  it("reopens every stage the lapse ended, each with its own lapse, when the record was in fact sent in time", async () => {
    const ref = newRef();
    const questura = await senderFor("questura-torino-sistema", ["questura-torino"]);
    // Art. 386 co. 7: the record not sent within 24 hours, the removal «diviene inefficace»; the request's stage ends with it.
    const start = await hook(ref, "removal.police-executed", iso(Date.now() - 30 * HOUR), { jurisdiction: "TO" }, questura);
    const [record24, request48] = start.body.deadlines;
    await sweep(env, Date.now());
    expect([(await statusOf(record24!.id)).status, (await statusOf(request48!.id)).status]).toEqual(["lapsed", "withdrawn"]);
    const lapse = await lapseEvent(record24!.id);
    // Not the GIP's to take back: the act was the police's.
    expect((await as(GIP_TOKEN, ref, "event.cancelled", iso(Date.now()), { eventId: lapse.id })).status).toBe(403);
    expect((await hook(ref, "event.cancelled", iso(Date.now()), { eventId: lapse.id }, questura)).status).toBe(201);
    expect([(await statusOf(record24!.id)).status, (await statusOf(request48!.id)).status]).toEqual(["open", "open"]);
    const requestLapse = (await db().select().from(notifications).where(and(eq(notifications.deadlineId, request48!.id), eq(notifications.kind, "lapse"))).get())!;
    expect(requestLapse.status).toBe("scheduled");
    expect((await db().select().from(timelineInstances).where(eq(timelineInstances.id, start.body.timelines[0]!.instanceId)).get())!.status).toBe("running");
    const sent = await hook(ref, "removal.record-sent", iso(Date.now() - 20 * HOUR), {}, questura);
    expect(sent.body.deadlines).toMatchObject([{ stage: "record-to-pm", status: "met" }]);
  });

  it("refuses to correct a lapse, or the event its stage started from, and says to cancel it first", async () => {
    const ref = newRef();
    const start = await record(ref, "removal.executed", iso(Date.now() - 50 * HOUR), { jurisdiction: "TO" });
    await sweep(env, Date.now());
    const lapse = await lapseEvent(start.body.deadlines[0]!.id);
    const onLapse = await record(ref, "event.corrected", iso(Date.now()), { eventId: lapse.id, occurredAt: iso(Date.now() - HOUR) });
    expect([onLapse.status, onLapse.body.code]).toEqual([409, "stage_lapsed"]);
    const onStart = await record(ref, "event.corrected", iso(Date.now()), { eventId: start.body.event.id, occurredAt: iso(Date.now() - 10 * HOUR) });
    expect([onStart.status, onStart.body.code]).toEqual([409, "stage_lapsed"]);
  });
});

describe("the police's record and the judge's hearing, implied by the acts that follow", () => {
  it("takes the PM's request in time as the record having reached the PM (art. 390 co. 1 after art. 386 co. 3)", async () => {
    const ref = newRef();
    const questura = await senderFor("questura-torino-sistema", ["questura-torino"]);
    await hook(ref, "removal.police-executed", "2026-11-09T21:00:00+01:00", { jurisdiction: "TO" }, questura);
    const requested = await hook(ref, "removal.validation-requested", "2026-11-10T12:00:00+01:00");
    expect(requested.body.deadlines.slice(0, 2)).toMatchObject([
      { stage: "record-to-pm", status: "met" }, { stage: "validation-request", status: "met" },
    ]);
    // The decision recorded without the hearing: the hearing was held.
    const decided = await hook(ref, "removal.validation-decided", "2026-11-11T18:00:00+01:00");
    expect(decided.body.deadlines.map((d) => [d.stage, d.status])).toEqual([["validation-hearing", "met"], ["validation-decision", "met"]]);
    expect(decided.body.timelines).toMatchObject([{ status: "closed" }]);
  });
});

describe("a restarted indemnity term, taken back or corrected", () => {
  it("goes back to the judgment's date when the failed enforcement is cancelled, and keeps its start when it is corrected", async () => {
    const ref = newRef();
    await record(ref, "decision.final", "2026-01-15T12:00:00+01:00", { jurisdiction: "TO" });
    const failed = await record(ref, "enforcement.failed", "2026-04-20T10:00:00+02:00");
    const claim = failed.body.deadlines[0]!;
    const corrected = await record(ref, "event.corrected", "2026-04-22T10:00:00+02:00", { eventId: failed.body.event.id, occurredAt: "2026-04-21T10:00:00+02:00" });
    expect(corrected.body.deadlines).toMatchObject([{ dueDate: "2026-08-19" }]);
    const why = (await statusOf(claim.id)).explanation as { steps: { text: string }[] };
    expect(why.steps[0]!.text).toBe("Il termine decorre dall'ultimo atto dell'azione esecutiva infruttuosamente esperita");
    const cancelled = await record(ref, "event.cancelled", "2026-04-23T10:00:00+02:00", { eventId: failed.body.event.id });
    expect(cancelled.status).toBe(201);
    const back = await statusOf(claim.id);
    expect([back.status, back.dueDate]).toEqual(["open", "2026-05-15"]);
    expect((back.explanation as { steps: { text: string }[] }).steps[0]!.text).toBe("Il termine decorre dal passaggio in giudicato della sentenza penale");
  });
});

describe("a period met by an act recorded late", () => {
  it("turns a year that ended without a plenary into one with it when the plenary is recorded with its date", async () => {
    const ref = newRef();
    const start = await record(ref, "protocol.approved", "2025-02-10T10:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    await sweep(env, Date.parse("2026-01-01T00:05:00+01:00"));
    expect((await statusOf(`${id}.plenary`)).status).toBe("late");
    const held = await record(ref, "protocol.plenary-held", "2025-11-20T10:00:00+01:00");
    expect(held.body.deadlines).toMatchObject([{ id: `${id}.plenary`, status: "met" }]);
    expect((await statusOf(`${id}.plenary`)).outcome).toBe("plenaria tenuta nell'anno");
  });
});
