/**
 * A changed definition gets a new version: running instances keep theirs,
 * new ones take the latest, and only an explicit migration moves the old
 * ones, recomputing their deadlines.
 */
import { env } from "cloudflare:workers";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, deadlines, notifications, timelineInstances } from "../../src/db/schema.js";
import { ART_362_BIS } from "../../src/timelines/art-362-bis.js";
import { registerTimeline, unregisterTimeline } from "../../src/timelines/catalog.js";
import { loadTimeline } from "../../src/timelines/sources.js";
import { PROCURA_TOKEN, api, db, idleWorkflows, newRef, record } from "../backbone/helpers.js";
import { subscribe } from "../outbound/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });
afterAll(() => unregisterTimeline("362-bis", 2));

// A hypothetical version 2, for this test only: 25 days for the PM, 15 for the GIP.
const V2 = {
  ...ART_362_BIS,
  version: 2,
  stages: [
    { ...ART_362_BIS.stages[0]!, term: { ...ART_362_BIS.stages[0]!.term, amount: 25 } },
    { ...ART_362_BIS.stages[1]!, term: { ...ART_362_BIS.stages[1]!.term, amount: 15 } },
  ],
};

const start = async (at: string) => {
  const ref = newRef();
  const r = await record(ref, "suspect.registered", at, { jurisdiction: "TO" });
  return { ref, instanceId: r.body.timelines[0]!.instanceId };
};
const due = async (id: string) => (await db().select().from(deadlines).where(eq(deadlines.id, id)).get())?.dueDate;
const version = async (id: string) => (await db().select().from(timelineInstances).where(eq(timelineInstances.id, id)).get())!.version;

describe("timeline versions", () => {
  it("keeps running instances on their version, starts new ones on the latest, and moves the old ones only when told", async () => {
    const old = await start("2026-03-02T10:15:00+01:00");
    const other = await start("2026-03-02T10:15:00+01:00");
    registerTimeline(loadTimeline(V2));

    const fresh = await start("2026-03-02T10:15:00+01:00");
    expect(await version(fresh.instanceId)).toBe(2);
    expect(await due(`${fresh.instanceId}.pm-assessment`)).toBe("2026-03-27");

    // An event on an old instance follows version 1: the GIP gets 20 days, not 15.
    await record(other.ref, "measures.requested", "2026-03-10T10:00:00+01:00");
    expect(await due(`${other.instanceId}.gip-decision`)).toBe("2026-03-30");
    expect(await due(`${old.instanceId}.pm-assessment`)).toBe("2026-04-01");

    // A centre's system listening for moved deadlines.
    await subscribe(`versions-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.changed"] });
    // Only admins migrate.
    const denied = await api("POST", "/api/v1/timelines/362-bis/migrate", { token: PROCURA_TOKEN, body: { from: 1, to: 2 } });
    expect(denied.status).toBe(403);
    const res = await api("POST", "/api/v1/timelines/362-bis/migrate", { body: { from: 1, to: 2 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { migrated: { instanceId: string; moves: { from: string; to: string }[] }[]; remaining: number };
    expect(body.remaining).toBe(0);
    const moved = body.migrated.find((m) => m.instanceId === old.instanceId)!;
    expect(moved.moves).toEqual([{ deadline: `${old.instanceId}.pm-assessment`, from: "2026-04-01T23:59:59+02:00", to: "2026-03-27T23:59:59+01:00" }]);
    expect(await version(old.instanceId)).toBe(2);
    expect(await due(`${old.instanceId}.pm-assessment`)).toBe("2026-03-27");
    // Closed deadlines keep the dates they were judged on; open ones move.
    expect(await due(`${other.instanceId}.gip-decision`)).toBe("2026-03-25");

    const told = await db().select().from(notifications)
      .where(and(eq(notifications.deadlineId, `${old.instanceId}.pm-assessment`), eq(notifications.kind, "notice"))).get();
    expect(told!.detail).toEqual({ notice: "date-changed", previousDueAt: "2026-04-01T23:59:59+02:00" });
    const r7 = await db().select().from(notifications).where(eq(notifications.id, `${old.instanceId}.pm-assessment.reminder-7d`)).get();
    expect(new Date(r7!.sendAtMs).toISOString()).toBe("2026-03-20T07:00:00.000Z");
    // The endpoint hears of the move as of a correction's, written with the migration.
    const events = await env.DB.prepare("SELECT body FROM outbound_events WHERE kind = 'deadline.changed'").all<{ body: string }>();
    const change = events.results.map((e) => JSON.parse(e.body) as { data: { deadline: { id: string; dueAt: string }; previousDueAt: string; timeline: { version: number } } })
      .find((e) => e.data.deadline.id === `${old.instanceId}.pm-assessment`)!;
    expect(change.data).toMatchObject({ previousDueAt: "2026-04-01T23:59:59+02:00", deadline: { dueAt: "2026-03-27T23:59:59+01:00" }, timeline: { version: 2 } });
    const audit = await db().select().from(auditLog).where(eq(auditLog.action, "timeline.migrated")).orderBy(desc(auditLog.id)).all();
    expect(audit.map((a) => (a.detail as { instanceId: string }).instanceId)).toContain(old.instanceId);
  });

  it("refuses versions that do not exist or do not move forward", async () => {
    const res = await api("POST", "/api/v1/timelines/362-bis/migrate", { body: { from: 2, to: 1 } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { parameter: string }).parameter).toBe("to");
    const none = await api("POST", "/api/v1/timelines/362-bis/migrate", { body: { from: 7, to: 8 } });
    expect(((await none.json()) as { parameter: string }).parameter).toBe("from");
  });
});
