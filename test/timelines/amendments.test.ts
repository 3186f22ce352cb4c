/**
 * Corrections and cancellations: an earlier event's date corrected, or an
 * event entered by mistake withdrawn — with the deadlines, their rungs,
 * the audit log and the offices all following.
 */
import { env } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, deadlines, notifications, outbox, statCounters, timelineInstances } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, record } from "../backbone/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

const deadline = async (id: string) => (await db().select().from(deadlines).where(eq(deadlines.id, id)).get())!;
const rows = async (deadlineId: string) =>
  Object.fromEntries((await db().select().from(notifications).where(eq(notifications.deadlineId, deadlineId)).all()).map((n) => [n.rung, n]));

async function registered() {
  const ref = newRef();
  const r = await record(ref, "suspect.registered", "2026-03-02T10:15:00+01:00", { jurisdiction: "TO" });
  return { ref, eventId: (r.body as unknown as { event: { id: string } }).event.id, instanceId: r.body.timelines[0]!.instanceId };
}

describe("a corrected trigger", () => {
  it("recomputes the deadline and its rungs, keeps old and new dates in the audit log, and tells the office", async () => {
    const { ref, eventId, instanceId } = await registered();
    const pm = `${instanceId}.pm-assessment`;
    expect((await deadline(pm)).dueDate).toBe("2026-04-01");
    const fix = await record(ref, "event.corrected", "2026-11-01T10:00:00+01:00", { eventId, occurredAt: "2026-03-05T09:00:00+01:00" });
    expect(fix.status).toBe(201);
    // 5 March + 30 = 4 April 2026, a Saturday: penal terms do not move for Saturdays.
    expect(await deadline(pm)).toMatchObject({ dueDate: "2026-04-04", status: "open", startedAtMs: Date.parse("2026-03-05T09:00:00+01:00") });
    const r = await rows(pm);
    expect(new Date(r["reminder-7d"]!.sendAtMs).toISOString()).toBe("2026-03-28T07:00:00.000Z");
    const noticeRow = Object.values(r).find((n) => n.kind === "notice")!;
    expect(noticeRow).toMatchObject({ officeId: "procura-torino", status: "scheduled", detail: { notice: "date-changed", previousDueAt: "2026-04-01T23:59:59+02:00" } });

    const entry = await db().select().from(auditLog).where(eq(auditLog.action, "event.corrected")).orderBy(desc(auditLog.id)).get();
    expect(entry!.detail).toMatchObject({ eventId, moves: [{ deadline: pm, from: "2026-04-01T23:59:59+02:00", to: "2026-04-04T23:59:59+02:00" }] });

    await sweep(env, Date.now());
    const mail = await db().select().from(outbox).where(eq(outbox.notificationId, noticeRow.id)).get();
    expect(mail!.text).toContain("era alle 23:59 del 01/04/2026, ora è alle 23:59 del 04/04/2026");
  });

  it("re-judges a closing event whose date is corrected, and moves the stage it started", async () => {
    const { ref, instanceId } = await registered();
    const requested = await record(ref, "measures.requested", "2026-03-20T10:00:00+01:00");
    const requestId = (requested.body as unknown as { event: { id: string } }).event.id;
    await record(ref, "event.corrected", "2026-11-01T10:00:00+01:00", { eventId: requestId, occurredAt: "2026-04-03T10:00:00+02:00" });
    expect(await deadline(`${instanceId}.pm-assessment`)).toMatchObject({ status: "late", closedAtMs: Date.parse("2026-04-03T10:00:00+02:00") });
    // 3 April + 20 = 23 April 2026, a Thursday.
    expect((await deadline(`${instanceId}.gip-decision`)).dueDate).toBe("2026-04-23");
  });
});

describe("a cancelled event", () => {
  it("withdraws the GIP stage a mistaken request started and reopens the PM's, with its rungs", async () => {
    const { ref, instanceId } = await registered();
    const requested = await record(ref, "measures.requested", "2026-03-20T10:00:00+01:00");
    const requestId = (requested.body as unknown as { event: { id: string } }).event.id;
    const pm = `${instanceId}.pm-assessment`;
    expect(Object.values(await rows(pm)).every((n) => n.status === "cancelled")).toBe(true);

    const undo = await record(ref, "event.cancelled", "2026-11-01T10:00:00+01:00", { eventId: requestId });
    expect(undo.status).toBe(201);
    expect(await deadline(pm)).toMatchObject({ status: "open", outcome: null, closedByEvent: null });
    expect(Object.values(await rows(pm)).map((n) => n.status)).toEqual(["scheduled", "scheduled", "scheduled", "scheduled", "scheduled"]);
    expect((await deadline(`${instanceId}.gip-decision`)).status).toBe("withdrawn");
    expect((await db().select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get())!.status).toBe("running");

    const again = await record(ref, "event.cancelled", "2026-11-01T10:00:00+01:00", { eventId: requestId });
    expect(again.status).toBe(422);
    expect(again.body.parameter).toBe("data.eventId");
  });

  it("withdraws a whole timeline started by mistake, and tells the office", async () => {
    const { ref, eventId, instanceId } = await registered();
    await record(ref, "event.cancelled", "2026-11-01T10:00:00+01:00", { eventId });
    expect((await db().select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get())!.status).toBe("withdrawn");
    const pm = `${instanceId}.pm-assessment`;
    expect((await deadline(pm)).status).toBe("withdrawn");
    const notice = await db().select().from(notifications).where(and(eq(notifications.deadlineId, pm), eq(notifications.kind, "notice"))).get();
    expect(notice!.detail).toEqual({ notice: "withdrawn" });
    // A new registration may start the timeline again.
    expect((await record(ref, "suspect.registered", "2026-03-03T10:00:00+01:00", { jurisdiction: "TO" })).status).toBe(201);
  });

  it("refuses unknown events, amendments of amendments, and events of other cases", async () => {
    const a = await registered();
    const b = await registered();
    const other = await record(a.ref, "event.cancelled", "2026-11-01T10:00:00+01:00", { eventId: b.eventId });
    expect([other.status, other.body.code, other.body.parameter]).toEqual([422, "unknown_event", "data.eventId"]);
    const none = await record(a.ref, "event.corrected", "2026-11-01T10:00:00+01:00", { eventId: crypto.randomUUID(), occurredAt: "2026-03-01T10:00:00Z" });
    expect(none.body.code).toBe("unknown_event");
    const fix = await record(a.ref, "event.corrected", "2026-11-01T10:00:00+01:00", { eventId: a.eventId, occurredAt: "2026-03-03T10:00:00Z" });
    const fixId = (fix.body as unknown as { event: { id: string } }).event.id;
    expect((await record(a.ref, "event.cancelled", "2026-11-01T10:00:00+01:00", { eventId: fixId })).body.code).toBe("unknown_event");
    const noData = await record(a.ref, "event.corrected", "2026-11-01T10:00:00+01:00", { eventId: a.eventId });
    expect([noData.status, noData.body.parameter]).toEqual([422, "data.occurredAt"]);
  });
});

describe("the report counters", () => {
  const counter = async (metric: string) =>
    (await db().select().from(statCounters).where(eq(statCounters.metric, metric)).all()).reduce((n, c) => n + c.value, 0);

  it("follow a corrected closing date and a cancelled timeline", async () => {
    const before = { met: await counter("362-bis:pm-assessment:met"), late: await counter("362-bis:pm-assessment:late") };
    const { ref, eventId } = await registered();
    const requested = await record(ref, "measures.requested", "2026-03-20T10:00:00+01:00");
    const requestId = (requested.body as unknown as { event: { id: string } }).event.id;
    expect(await counter("362-bis:pm-assessment:met")).toBe(before.met + 1);
    // Corrected to after the deadline: the closing counts as late instead.
    await record(ref, "event.corrected", "2026-11-01T10:00:00+01:00", { eventId: requestId, occurredAt: "2026-04-03T10:00:00+02:00" });
    expect([await counter("362-bis:pm-assessment:met"), await counter("362-bis:pm-assessment:late")]).toEqual([before.met, before.late + 1]);
    // The whole timeline entered by mistake: it no longer counts.
    await record(ref, "event.cancelled", "2026-11-01T10:00:00+01:00", { eventId });
    expect([await counter("362-bis:pm-assessment:met"), await counter("362-bis:pm-assessment:late")]).toEqual([before.met, before.late]);
  });
});
