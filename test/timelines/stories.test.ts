/**
 * Each timeline's story through the real path (staff API → D1 → sweep):
 * start, remind, close — or escalate. Workflows are held idle so that the
 * sweep delivers at the instants the test picks.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { notifications } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { ADMIN_TOKEN, casePath, db, fetchWith, idleWorkflows, newRef, postWebhook, record, senderFor } from "../backbone/helpers.js";

/** An event from an office's own system, signed with its secret, through the webhook. */
async function viaSystem(secret: string, ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) {
  const res = await postWebhook({ type, caseRef: ref, occurredAt, data }, { secret });
  return { status: res.status, body: (await res.json()) as Awaited<ReturnType<typeof record>>["body"] };
}

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

const rowsOf = async (instanceId: string) =>
  Object.fromEntries((await db().select().from(notifications).where(eq(notifications.instanceId, instanceId)).all()).map((n) => [n.rung, n]));

describe("art. 362 co. 1-ter: the victim heard within 3 days", () => {
  it("escalates to the Procuratore when the third day passes, and records a late hearing as late", async () => {
    const ref = newRef();
    const start = await record(ref, "offence.registered", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
    expect(start.status).toBe(201);
    const id = start.body.timelines.find((t) => t.timeline === "362-1-ter")!.instanceId;
    expect(start.body.deadlines).toMatchObject([{ stage: "victim-hearing", dueDate: "2026-03-05", office: "procura-torino" }]);
    await sweep(env, Date.parse("2026-03-06T09:00:00+01:00"));
    const rows = await rowsOf(id);
    expect(rows["escalation-1"]).toMatchObject({ status: "sent", officeId: "procuratore-torino" });
    expect(rows["reminder-due-day"]!.status).toBe("superseded");
    // The second level follows a day later, at midnight: not yet.
    expect(rows["escalation-2"]!.status).toBe("scheduled");
    const heard = await record(ref, "victim.heard", "2026-03-06T11:00:00+01:00");
    expect(heard.body.deadlines).toMatchObject([{ stage: "victim-hearing", status: "late" }]);
    expect(heard.body.timelines).toMatchObject([{ timeline: "362-1-ter", status: "closed" }]);
    expect((await rowsOf(id))["escalation-2"]!.status).toBe("cancelled");
  });
});

describe("art. 384-bis: 48 hours, then 48 hours", () => {
  it("counts elapsed hours across the change to summer time and hands over to the GIP on the request", async () => {
    const ref = newRef();
    const start = await record(ref, "removal.executed", "2026-03-28T10:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    // 48 elapsed hours from 10:00 CET on 28 March are 11:00 CEST on 30 March.
    expect(start.body.deadlines).toMatchObject([{ stage: "validation-request", dueAt: "2026-03-30T11:00:00+02:00", dueDate: null }]);
    const requested = await record(ref, "validation.requested", "2026-03-29T20:00:00+02:00");
    expect(requested.body.deadlines.map((d) => [d.stage, d.status, d.dueAt])).toEqual([
      ["validation-request", "met", "2026-03-30T11:00:00+02:00"],
      ["validation-hearing", "open", "2026-03-31T20:00:00+02:00"],
      ["validation-decision", "open", "2026-03-31T20:00:00+02:00"],
    ]);
    await sweep(env, Date.parse("2026-03-31T15:00:00+02:00"));
    const rows = await rowsOf(id);
    expect(rows["reminder-6h"]).toMatchObject({ status: "sent", officeId: "gip-torino" });
    expect(rows["reminder-24h"]!.status).toBe("superseded");
    await record(ref, "validation.hearing-held", "2026-03-31T17:00:00+02:00");
    const decided = await record(ref, "validation.decided", "2026-03-31T18:00:00+02:00");
    expect(decided.body.timelines).toMatchObject([{ status: "closed" }]);
    expect((await rowsOf(id))["escalation-1"]!.status).toBe("cancelled");
  });
});

describe("art. 382-bis: deferred arrest within 48 hours", () => {
  it("reminds the Questura, and sends no escalation where the directory has no office above it", async () => {
    const ref = newRef();
    const start = await record(ref, "offence.committed", "2026-05-04T22:30:00+02:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    expect(start.body.deadlines).toMatchObject([{ office: "questura-torino", dueAt: "2026-05-06T22:30:00+02:00" }]);
    expect(Object.keys(await rowsOf(id)).sort()).toEqual(["reminder-24h", "reminder-6h"]);
    const arrested = await record(ref, "arrest.made", "2026-05-05T09:00:00+02:00");
    expect(arrested.body.deadlines[0]).toMatchObject({ stage: "deferred-arrest", status: "met" });
  });
});

describe("indemnity claim: 120 days, administrative", () => {
  it("reminds the Prefettura 30 and 7 days before, and closes on the claim", async () => {
    const ref = newRef();
    const start = await record(ref, "decision.final", "2026-01-15T12:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    // 15 January + 120 days = 15 May 2026, a Friday.
    expect(start.body.deadlines).toMatchObject([{ office: "prefettura-torino", dueDate: "2026-05-15" }]);
    expect(Object.keys(await rowsOf(id)).sort()).toEqual(["reminder-30d", "reminder-7d"]);
    await sweep(env, Date.parse("2026-04-16T09:00:00+02:00"));
    expect((await rowsOf(id))["reminder-30d"]!.status).toBe("sent");
    const filed = await record(ref, "indemnity.claim-filed", "2026-04-20T10:00:00+02:00");
    expect(filed.body.timelines).toMatchObject([{ status: "closed" }]);
  });
});

describe("ammonimento: the earliest revocation date", () => {
  it("records the day after the third anniversary as information only, not moved for a Sunday: no reminders, nothing left running", async () => {
    const ref = newRef();
    // From the Questura's own system, through the webhook.
    const start = await viaSystem(await senderFor("questura-torino-sistema", ["questura-torino"]), ref, "ammonimento.issued", "2026-02-10T09:00:00+01:00", { jurisdiction: "TO" });
    expect(start.status).toBe(201);
    // Third anniversary Saturday 10 February 2029; revocation may be asked from Sunday 11 February (not moved).
    expect(start.body.deadlines).toMatchObject([{
      stage: "earliest-revocation", status: "informational", dueDate: "2029-02-11", dueAt: "2029-02-11T00:00:00+01:00", office: "questura-torino",
    }]);
    expect(start.body.timelines).toMatchObject([{ timeline: "ammonimento-revocation", status: "closed" }]);
    expect(await rowsOf(start.body.timelines[0]!.instanceId)).toEqual({});
  });
});

describe("ammonimento: the reason shown", () => {
  it("states both readings, the end of the anniversary day and no holiday move, and the month-end rule on 29 February", async () => {
    const ref = newRef();
    const start = await record(ref, "ammonimento.issued", "2024-02-29T09:00:00+01:00", { jurisdiction: "TO" });
    // 29 February 2027 does not exist: the third anniversary is 28 February, revocation from 1 March 2027.
    expect(start.body.deadlines).toMatchObject([{ dueDate: "2027-03-01" }]);
    const view = (await (await fetchWith({}, casePath(ref), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { timelines: { deadlines: { why: { steps: { rule: string; text: string }[] } }[] }[] };
    const steps = view.timelines[0]!.deadlines[0]!.why.steps;
    expect(steps.map((x) => x.rule)).toEqual(["calendar", "earliest", "not-extended"]);
    expect(steps[1]!.text).toMatch(/^Nostra lettura: .*art\. 2963 co\. 2 c\.c\.; la prima data utile è quindi dal 01\/03\/2027$/);
    expect(steps[2]!.text).toMatch(/questa è una data minima/);
  });
});

describe("a bill", () => {
  const change = (ref: string) => ({ type: "association.change-occurred", occurredAt: "2026-06-01T10:00:00+02:00", data: { jurisdiction: "TO" } });
  const post = (ref: string, bills: string) =>
    fetchWith({ ENABLED_BILLS: bills }, `${casePath(ref)}/events`, {
      method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify(change(ref)),
    });

  it("is refused while disabled, which is the default", async () => {
    const res = await post(newRef(), "");
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe("timeline_disabled");
  });

  it("runs where the deployment enables it", async () => {
    const res = await post(newRef(), "register-changes");
    expect(res.status).toBe(201);
    const body = (await res.json()) as { deadlines: { office: string; dueDate: string }[] };
    expect(body.deadlines).toMatchObject([{ office: "associazione-demo-torino", dueDate: "2026-09-01" }]);
  });
});

describe("vigilance measures: reviewed every 3 months until revoked", () => {
  it("opens the next period from each review, and ends everything on revocation", async () => {
    const ref = newRef();
    const start = await record(ref, "vigilance.ordered", "2026-01-12T10:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    expect(start.body.deadlines).toMatchObject([{ id: `${id}.review`, office: "prefettura-torino", dueDate: "2026-04-13" }]);
    // 12 April 2026 is a Sunday: administrative terms move to Monday 13 April.
    const reviewed = await record(ref, "vigilance.reviewed", "2026-04-02T10:00:00+02:00");
    expect(reviewed.body.deadlines.map((d) => [d.id, d.status, d.dueDate])).toEqual([
      [`${id}.review`, "met", "2026-04-13"],
      [`${id}.review.2`, "open", "2026-07-02"],
    ]);
    expect(reviewed.body.timelines).toMatchObject([{ status: "running" }]);
    const revoked = await record(ref, "vigilance.revoked", "2026-05-20T10:00:00+02:00");
    expect(revoked.body.deadlines).toMatchObject([{ id: `${id}.review.2`, status: "met" }]);
    expect(revoked.body.timelines).toMatchObject([{ status: "closed" }]);
    const period2 = await db().select().from(notifications).where(eq(notifications.deadlineId, `${id}.review.2`)).all();
    expect(period2.length).toBeGreaterThan(0);
    expect(period2.every((n) => n.status === "cancelled")).toBe(true);
  });
});

describe("the Turin protocol", () => {
  it("asks for a plenary in each calendar year and the renewal after 3 years; the renewal ends it", async () => {
    const ref = newRef();
    const start = await record(ref, "protocol.approved", "2025-02-03T12:00:00+01:00", { jurisdiction: "TO" });
    const id = start.body.timelines[0]!.instanceId;
    // "Il tavolo si riunisce in plenaria una volta all'anno": the plenary of 2025 by 31 December 2025.
    expect(start.body.deadlines.map((d) => [d.id.slice(id.length + 1), d.dueDate, d.office])).toEqual([
      ["plenary", "2025-12-31", "citta-metropolitana-torino"],
      ["renewal", "2028-02-03", "citta-metropolitana-torino"],
    ]);
    const plenary = await record(ref, "protocol.plenary-held", "2025-11-20T10:00:00+01:00");
    expect(plenary.body.deadlines.map((d) => [d.id.slice(id.length + 1), d.status, d.dueDate])).toEqual([["plenary", "met", "2025-12-31"]]);
    const renewed = await record(ref, "protocol.renewed", "2026-06-01T10:00:00+02:00");
    expect(renewed.body.timelines).toMatchObject([{ status: "closed" }]);
  });

  it("lets the protocol lapse on its third anniversary even on a holiday, with reminders before it", async () => {
    const secret = await senderFor("citta-metropolitana-torino-sistema", ["citta-metropolitana-torino"]);
    const start = await viaSystem(secret, newRef(), "protocol.approved", "2023-04-25T10:00:00+02:00", { jurisdiction: "TO" });
    expect(start.status).toBe(201);
    const id = start.body.timelines[0]!.instanceId;
    // 25 April 2026 is a Saturday and Liberazione: an administrative term would move to Monday 27; a lapse does not.
    expect(start.body.deadlines.find((d) => d.stage === "renewal")).toMatchObject({ dueDate: "2026-04-25", dueAt: "2026-04-25T23:59:59+02:00" });
    const rungs = await db().select().from(notifications).where(eq(notifications.deadlineId, `${id}.renewal`)).all();
    // 30 and 7 days before, at 08:00 Rome time (winter, then summer time).
    // And the lapse itself, recorded at the end of the anniversary day if no renewal came ("durata pari a tre anni").
    expect(rungs.map((n) => [n.rung, new Date(n.sendAtMs).toISOString()])).toEqual([
      ["reminder-30d", "2026-03-26T07:00:00.000Z"], ["reminder-7d", "2026-04-18T06:00:00.000Z"], ["lapse", "2026-04-25T21:59:59.001Z"],
    ]);
  });
});

describe("Lombardy regional law 11/2012", () => {
  it("expects an activity report from each network member in each calendar year", async () => {
    await env.DB.prepare(
      "INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, escalates_to) VALUES ('cav-milano', 'centro-antiviolenza', 'Centro antiviolenza dimostrativo (Milano)', 'MI', 'IT-MI', '[\"cav.milano@example.org\"]', 'direzione.cav.milano@example.org', NULL)",
    ).run();
    const ref = newRef();
    const start = await record(ref, "lombardy.network-joined", "2025-03-10T10:00:00+01:00", { jurisdiction: "MI" });
    // "Forniscono ogni anno alla Regione Lombardia una relazione": the report of 2025 by 31 December 2025.
    expect(start.body.deadlines).toMatchObject([{ office: "cav-milano", dueDate: "2025-12-31" }]);
    const sent = await record(ref, "lombardy.activity-report-sent", "2025-12-02T10:00:00+01:00");
    expect(sent.body.deadlines.map((d) => [d.status, d.dueDate])).toEqual([["met", "2025-12-31"]]);
  });
});
