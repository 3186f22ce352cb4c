/**
 * Obligations on dates fixed by law start themselves from the cron, for
 * every responsible office in the directory, with reminders 30, 14, 7 and
 * 1 days before and an escalation after; submitting closes them.
 */
import { env } from "cloudflare:workers";
import { and, eq, like } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { daysFromCivil, isoDate } from "../../src/engine/civil.js";
import { cases, deadlines, notifications, outbox, timelineInstances } from "../../src/db/schema.js";
import { getTimeline } from "../../src/timelines/catalog.js";
import { dueWithinLead, scheduleDates, startScheduled } from "../../src/workflows/schedule.js";
import { complianceLags } from "../../src/timelines/quarters.js";
import { misconfiguration } from "../../src/deployment.js";
import { sweep } from "../../src/workflows/sweep.js";
import { type Recorded, api, casePath, db, idleWorkflows } from "../backbone/helpers.js";

describe("when scheduled obligations open", () => {
  it("opens each due date's instance within its lead window only", () => {
    const due = (y: number, m: number, d: number) => daysFromCivil(y, m, d);
    expect(dueWithinLead(["03-30"], 45, due(2027, 2, 20)).map(isoDate)).toEqual(["2027-03-30"]);
    expect(dueWithinLead(["03-30"], 45, due(2027, 2, 1))).toEqual([]);
    expect(dueWithinLead(["01-31"], 45, due(2026, 12, 20)).map(isoDate)).toEqual(["2027-01-31"]);
    // With a lag the due day moves on, and December's period is due in the next year.
    expect(dueWithinLead(["12-31"], 45, due(2027, 1, 10), 15).map(isoDate)).toEqual(["2027-01-15"]);
    expect(dueWithinLead(["12-31"], 45, due(2026, 11, 20), 15)).toEqual([]);
  });

  it("reads the compliance lags from the deployment, 15 and 30 days by default, and refuses malformed ones", () => {
    expect(complianceLags({ ...env, COMPLIANCE_DATA_LAG_DAYS: "", COMPLIANCE_REPORT_LAG_DAYS: undefined })).toEqual({ "compliance-data": 15, "compliance-report": 30 });
    expect(complianceLags({ ...env, COMPLIANCE_DATA_LAG_DAYS: "20", COMPLIANCE_REPORT_LAG_DAYS: "45" })).toEqual({ "compliance-data": 20, "compliance-report": 45 });
    expect(misconfiguration({ ...env, COMPLIANCE_DATA_LAG_DAYS: "quindici" })).toMatch(/^COMPLIANCE_DATA_LAG_DAYS/);
  });

  it("takes quarter and half-year ends from the deployment's configuration", () => {
    const half = getTimeline("compliance-half-yearly")!.schedule!;
    expect(scheduleDates(getTimeline("compliance-quarterly")!.schedule!, "03-31,06-30,09-30,12-31")).toEqual(["03-31", "06-30", "09-30", "12-31"]);
    expect(scheduleDates(half, "03-31,06-30,09-30,12-31")).toEqual(["06-30", "12-31"]);
    expect(scheduleDates(half, "01-31,04-30,07-31,10-31")).toEqual(["04-30", "10-31"]);
  });
});

describe("the cron start", () => {
  let spy: Awaited<ReturnType<typeof idleWorkflows>>;
  beforeEach(async () => { spy = await idleWorkflows(); });
  afterEach(async () => { await spy.dispose(); });

  // Inside the lead windows of the fourth quarter's data (due 15 January 2027) and of the second half-year's report (due 30 January).
  const AT = Date.parse("2026-12-20T06:00:00+01:00");
  const obligations = async (timeline: string) =>
    db().select().from(timelineInstances).where(eq(timelineInstances.timeline, timeline)).all();

  it("starts every responsible office's obligation once, bills only where enabled, and runs it to the escalation", async () => {
    const first = await startScheduled(env, AT);
    // In force: each Procura's quarterly data and each PG's half-yearly report (Turin and Milan).
    expect(first.started).toBe(4);
    expect(await obligations("associations-report")).toEqual([]);
    const again = await startScheduled(env, AT + 300_000);
    expect(again).toEqual({ started: 0, existing: 4, failed: 0 });

    const withBills = await startScheduled({ ...env, ENABLED_BILLS: "all" }, AT);
    // The associations' report (31 December) and the national register (31 January): dates in the bills, no lag.
    expect(withBills.started).toBe(2);
    const [quarterly] = await db().select({ id: timelineInstances.id }).from(timelineInstances)
      .innerJoin(cases, eq(cases.id, timelineInstances.caseId)).where(and(eq(cases.ref, "DATI-362BIS-T4-2026"), eq(cases.ownerOfficeId, "procura-torino"))).all();
    const d = (await db().select().from(deadlines).where(eq(deadlines.instanceId, quarterly!.id)).get())!;
    // The quarter ends 31 December; its data are due 15 days later, a setting the reason names.
    expect([d.officeId, d.dueDate, d.status]).toEqual(["procura-torino", "2027-01-15", "open"]);
    expect((d.explanation as { steps: { text: string }[] }).steps[0]!.text).toMatch(
      /^art\. 127 co\. 1-bis disp\. att\. c\.p\.p\. \(introdotto dall'art\. 8 L\. 24 novembre 2023, n\. 168\) non fissa il giorno: la data è stabilita dalla configurazione del servizio.*COMPLIANCE_DATA_LAG_DAYS.*; la scadenza è il 15\/01\/2027$/,
    );
    const [half] = await db().select({ id: timelineInstances.id }).from(timelineInstances)
      .innerJoin(cases, eq(cases.id, timelineInstances.caseId)).where(and(eq(cases.ref, "RELAZIONE-362BIS-S2-2026"), eq(cases.ownerOfficeId, "pg-torino"))).all();
    expect((await db().select().from(deadlines).where(eq(deadlines.instanceId, half!.id)).get())!.dueDate).toBe("2027-01-30");

    await sweep(env, Date.parse("2026-12-20T08:00:00+01:00"));
    await sweep(env, Date.parse("2027-01-16T00:00:01+01:00"));
    const rows = await db().select().from(notifications).where(eq(notifications.instanceId, quarterly!.id)).all();
    expect(Object.fromEntries(rows.map((n) => [n.rung, [n.status, n.officeId]]))).toEqual({
      "reminder-30d": ["sent", "procura-torino"],
      "reminder-14d": ["superseded", "procura-torino"],
      "reminder-7d": ["superseded", "procura-torino"],
      "reminder-1d": ["superseded", "procura-torino"],
      "escalation-1": ["sent", "procuratore-torino"],
    });
    // The reminder links to the draft of the report the obligation files.
    const mail = (await db().select().from(outbox).where(eq(outbox.notificationId, `${quarterly!.id}.report.reminder-30d`)).get())!;
    expect(mail.text).toContain(`${env.APP_BASE_URL}/api/v1/reports/compliance-quarterly/2026-Q4?office=procura-torino`);
  });

  it("closes an obligation when its report is submitted", async () => {
    const at = Date.parse("2026-06-20T06:00:00+02:00");
    await startScheduled(env, at);
    // A readable reference, the same for each PG's report on that half-year: the owner office says which.
    const ref = "RELAZIONE-362BIS-S1-2026";
    const [half] = await db().select({ id: timelineInstances.id }).from(timelineInstances)
      .innerJoin(cases, eq(cases.id, timelineInstances.caseId)).where(and(eq(cases.ref, ref), eq(cases.ownerOfficeId, "pg-torino"))).all();
    const res = await api("POST", `${casePath(ref)}/events?office=pg-torino`, { body: { type: "report.submitted", occurredAt: "2026-06-15T10:00:00+02:00", data: {} } });
    const submitted = { status: res.status, body: (await res.json()) as Recorded["body"] };
    expect(submitted.status).toBe(201);
    expect(submitted.body.timelines).toMatchObject([{ timeline: "compliance-half-yearly", instanceId: half!.id, status: "closed" }]);
    expect(submitted.body.deadlines).toMatchObject([{ status: "met", dueDate: "2026-07-30" }]);
    const pending = await db().select().from(notifications).where(and(eq(notifications.instanceId, half!.id), like(notifications.rung, "reminder%"))).all();
    expect(pending.every((n) => n.status === "cancelled")).toBe(true);
  });

  it.each([
    ["regional-report", "2027-03-01T06:00:00+01:00", "regione-piemonte", "2027-03-30"],
    ["parliament-report", "2027-06-01T06:00:00+02:00", "dipartimento-po", "2027-06-30"],
    // 31 January 2027 is a Sunday. Whether art. 2963 co. 3 c.c. moves a date the law fixes is unsettled:
    // due on the nominal date, Monday 1 February shown as a possible extension (issue 25, point 6).
    ["national-register", "2027-01-10T06:00:00+01:00", "dipartimento-po", "2027-01-31"],
  ])("opens the %s for its office when the deployment enables the bill", async (timeline, at, office, due) => {
    await startScheduled({ ...env, ENABLED_BILLS: "all" }, Date.parse(at));
    const [instance] = await obligations(timeline);
    const d = (await db().select().from(deadlines).where(eq(deadlines.instanceId, instance!.id)).get())!;
    expect([d.officeId, d.dueDate]).toEqual([office, due]);
  });
});
