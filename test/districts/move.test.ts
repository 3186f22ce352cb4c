/**
 * The move from the single-database layout: cases written while every case
 * lived in the central database are moved into their districts' databases
 * by POST /api/v1/districts/move, whole, with their workflows, and the
 * reports read the same figures before and after.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, DAY, PROCURA_TOKEN, ago, api, casePath, fetchWith, newRef } from "../backbone/helpers.js";
import { count, idleInEveryDatabase } from "./helpers.js";

const MINISTRY = "termini-local-ministero-token";
const rowsOf = (d1: D1Database, ref: string) => Promise.all([
  count(d1, "SELECT count(*) AS n FROM events WHERE case_id IN (SELECT id FROM cases WHERE ref = ?)", ref),
  count(d1, "SELECT count(*) AS n FROM deadlines WHERE instance_id IN (SELECT i.id FROM timeline_instances i JOIN cases c ON c.id = i.case_id WHERE c.ref = ?)", ref),
  count(d1, "SELECT count(*) AS n FROM notifications WHERE instance_id IN (SELECT i.id FROM timeline_instances i JOIN cases c ON c.id = i.case_id WHERE c.ref = ?)", ref),
]);

/** As the deployment served before it had districts: every case in the central database. */
async function single(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}): Promise<number> {
  const res = await fetchWith({ DISTRICTS: "" }, `${casePath(ref)}/events`, {
    method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify({ type, occurredAt, data }),
  });
  return res.status;
}

const national = async () => {
  const res = await api("POST", "/api/v1/reports/national/2025/generate", { token: ADMIN_TOKEN });
  expect(res.status).toBe(201);
  const doc = await api("GET", "/api/v1/reports/national/2025?format=json", { token: MINISTRY });
  return ((await doc.json()) as { tables: unknown[] }).tables;
};

idleInEveryDatabase();

describe("moving to the district layout", () => {
  const turin = [newRef(), newRef(), newRef()];
  const milan = [newRef(), newRef()];
  const running = newRef();

  it("moves every case into its district whole, restarts running workflows there, and reports the same figures", async () => {
    for (const ref of turin) {
      expect(await single(ref, "suspect.registered", "2025-03-02T10:00:00+01:00", { jurisdiction: "TO" })).toBe(201);
      expect(await single(ref, "measures.requested", "2025-03-12T10:00:00+01:00")).toBe(201);
    }
    for (const ref of milan) expect(await single(ref, "suspect.registered", "2025-04-02T10:00:00+02:00", { jurisdiction: "MI" })).toBe(201);
    expect(await single(running, "suspect.registered", ago(3 * DAY), { jurisdiction: "TO" })).toBe(201);
    // Then, in the district layout, an event on a case not yet moved goes where the case is.
    const late = await api("POST", `${casePath(milan[0]!)}/events`, { body: { type: "measures.requested", occurredAt: "2025-04-20T10:00:00+02:00", data: {} } });
    expect(late.status).toBe(201);
    expect(await count(env.DB, "SELECT count(*) AS n FROM events WHERE type = 'measures.requested' AND case_id IN (SELECT id FROM cases WHERE ref = ?)", milan[0])).toBe(1);
    // And the Turin Procura's lists show its cases not yet moved.
    const listed = (await (await api("GET", "/api/v1/cases?limit=200", { token: PROCURA_TOKEN })).json()) as { cases: { ref: string }[] };
    expect(listed.cases.map((c) => c.ref)).toEqual(expect.arrayContaining([...turin, running]));
    const all = (await (await api("GET", "/api/v1/offices/procura-torino/deadlines?status=all", { token: PROCURA_TOKEN })).json()) as { deadlines: { caseRef: string }[] };
    expect(all.deadlines.map((d) => d.caseRef)).toContain(turin[0]);
    const before = await Promise.all([...turin, ...milan, running].map((ref) => rowsOf(env.DB, ref)));
    const figures = await national();
    const runningBefore = await count(env.DB, "SELECT count(*) AS n FROM timeline_instances WHERE status = 'running'");

    // A district added a moment ago, before any sweep: its database has no copy of the directory yet.
    await env.DISTRICT_TO.batch(["subscription_secrets", "subscriptions", "webhook_secrets", "sender_event_types", "sender_offices", "webhook_senders", "offices"]
      .map((t) => env.DISTRICT_TO.prepare(`DELETE FROM ${t}`)));
    const first = await api("POST", "/api/v1/districts/move", { body: { limit: 4 } });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as { moved: Record<string, number>; remaining: number };
    expect(firstBody.remaining).toBe(2);
    const rest = (await (await api("POST", "/api/v1/districts/move", { body: { limit: 100 } })).json()) as { moved: Record<string, number>; restarted: number; remaining: number };
    expect(rest.remaining).toBe(0);
    const moved = { ...firstBody.moved };
    for (const [k, v] of Object.entries(rest.moved)) moved[k] = (moved[k] ?? 0) + v;
    expect(moved).toEqual({ TO: 4, MI: 2 });

    expect(await count(env.DB, "SELECT count(*) AS n FROM cases")).toBe(0);
    const after = await Promise.all([...turin, running].map((ref) => rowsOf(env.DISTRICT_TO, ref)).concat(milan.map((ref) => rowsOf(env.DISTRICT_MI, ref))));
    expect(after).toEqual([...turin.map((_, i) => before[i]), before[before.length - 1], ...milan.map((_, i) => before[turin.length + i])]);
    // The central audit log keeps each move; each case's own audit entries travelled with it.
    expect(await count(env.DB, "SELECT count(*) AS n FROM audit_log WHERE action = 'case.moved'")).toBe(6);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM audit_log WHERE case_id IN (SELECT id FROM cases WHERE ref = ?)", turin[0])).toBeGreaterThan(0);
    // Every running timeline's workflow now reads its district's database.
    expect(runningBefore).toBeGreaterThan(0);
    expect(rest.restarted + (firstBody as { restarted?: number }).restarted!).toBe(runningBefore);
    const instance = await env.DISTRICT_TO.prepare("SELECT i.id, i.workflow_id FROM timeline_instances i JOIN cases c ON c.id = i.case_id WHERE c.ref = ? AND i.status = 'running'").bind(running).first<{ id: string; workflow_id: string }>();
    expect(instance!.workflow_id).not.toBe(instance!.id);
    const params = await (await env.TIMELINE.get(instance!.workflow_id)).status();
    expect(params.status).not.toBe("errored");

    expect(await national()).toEqual(figures);
  });

  it("goes on as before for a moved case, and has nothing left to move", async () => {
    const res = await api("POST", `${casePath(running)}/events`, { token: PROCURA_TOKEN, body: { type: "measures.requested", occurredAt: ago(60_000), data: {} } });
    expect(res.status).toBe(201);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM events WHERE type = 'measures.requested' AND case_id IN (SELECT id FROM cases WHERE ref = ?)", running)).toBe(1);
    expect(await count(env.DB, "SELECT count(*) AS n FROM events")).toBe(0);
    const again = (await (await api("POST", "/api/v1/districts/move", { body: {} })).json()) as { moved: Record<string, number>; remaining: number };
    expect(again).toMatchObject({ moved: {}, remaining: 0 });
  });

  it("holds a case whose reference its office already uses in the district, lists it for review, and still finishes", async () => {
    // Written before references were canonical: 0977990/2026 centrally, 977990/2026 in Turin's
    // database; migration 0017 made the central one 977990/2026 too. Copied, Turin would keep one.
    const ref = "977990/2026";
    expect(await single(ref, "suspect.registered", ago(2 * DAY), { jurisdiction: "TO" })).toBe(201);
    await env.DISTRICT_TO.batch([
      env.DISTRICT_TO.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES ('turin-own', ?, 'procura-torino', 1, 'test', 1)").bind(ref),
      env.DISTRICT_TO.prepare("INSERT INTO case_offices (case_id, office_id, role, case_created_at) VALUES ('turin-own', 'procura-torino', 'procura', 1)"),
    ]);
    const res = (await (await api("POST", "/api/v1/districts/move", { body: {} })).json()) as { moved: Record<string, number>; remaining: number };
    expect(res).toMatchObject({ moved: {}, remaining: 0 });
    expect(await count(env.DB, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(1);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(1);
    const report = (await (await api("GET", "/api/v1/integrity")).json()) as { awaitingMove: number; referenceCollisions: { ref: string; otherCaseId: string; running: boolean; district: string }[] };
    expect(report.awaitingMove).toBe(0);
    expect(report.referenceCollisions).toEqual([expect.objectContaining({ ref, otherCaseId: "turin-own", running: true, district: "IT" })]);
    // Until an administrator decides, the number means two cases of one office: asking which is an error, not a guess.
    const event = { type: "suspect.registered", occurredAt: ago(DAY), data: { jurisdiction: "TO" } };
    expect((await api("POST", `${casePath(ref)}/events`, { token: PROCURA_TOKEN, body: event })).status).toBe(409);
    const held = (report.referenceCollisions[0] as unknown as { caseId: string }).caseId;
    expect(await (await api("POST", `/api/v1/integrity/references/${held}/withdraw`)).json()).toEqual({ withdrawn: 1 });
    // Withdrawn, it stays behind for good; the number is Turin's own case's.
    expect(await count(env.DB, "SELECT count(*) AS n FROM timeline_instances WHERE case_id = ? AND status = 'running'", held)).toBe(0);
    const after = await api("POST", `${casePath(ref)}/events`, { token: PROCURA_TOKEN, body: event });
    expect(after.status).toBe(201);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM timeline_instances WHERE case_id = 'turin-own'")).toBe(1);
  });

  it("is for administrators only", async () => {
    expect((await api("POST", "/api/v1/districts/move", { token: PROCURA_TOKEN, body: {} })).status).toBe(403);
    expect((await api("POST", "/api/v1/districts/move", { token: null, body: {} })).status).toBe(401);
  });
});
