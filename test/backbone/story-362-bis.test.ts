/**
 * Art. 362-bis end to end: signed webhook → workflow → reminders →
 * escalation, driven through workflow introspection. Forcing a `wake`
 * timeout stands for the time passing until the next due rung. (The local
 * engine reports each forced timeout as an "uncaught WorkflowTimeoutError"
 * line although the workflow catches it: five such lines come from here.)
 */
import { env } from "cloudflare:workers";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadlines, notifications, outbox } from "../../src/db/schema.js";
import { ago, api, casePath, db, introspectEach, newRef, postWebhook, registration } from "./helpers.js";

const introspect = introspectEach();

async function start(ref: string, registeredAgo = 3_600_000): Promise<string> {
  const res = await postWebhook(registration(ref, ago(registeredAgo)));
  expect(res.status).toBe(201);
  return ((await res.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId;
}

const sentOf = (instanceId: string) =>
  db().select().from(notifications)
    .where(eq(notifications.instanceId, instanceId)).orderBy(asc(notifications.sentAtMs), asc(notifications.sendAtMs)).all();

describe("art. 362-bis", () => {
  it("reminds the Procura 7 and 2 days before and on the due day, then escalates up the directory's chain", async () => {
    const spy = await introspect(5);
    const ref = newRef();
    const instanceId = await start(ref);
    const [wf] = spy.get();
    await wf!.waitForStepResult({ name: "deliver pm-assessment/escalation-2" });

    const rows = (await sentOf(instanceId)).filter((n) => n.status === "sent");
    expect(rows.map((n) => [n.rung, n.officeId])).toEqual([
      ["reminder-7d", "procura-torino"],
      ["reminder-2d", "procura-torino"],
      ["reminder-due-day", "procura-torino"],
      ["escalation-1", "procuratore-torino"],
      ["escalation-2", "pg-torino"],
    ]);
    const [deadline] = await db().select().from(deadlines).where(eq(deadlines.instanceId, instanceId)).all();
    const due = deadline!.dueAtMs;
    const at = Object.fromEntries(rows.map((n) => [n.rung, n.sendAtMs]));
    // 08:00 Rome on the due day; the first escalation the second the deadline passes; the second 3 days later.
    expect(new Date(at["reminder-due-day"]!).toLocaleString("it-IT", { timeZone: "Europe/Rome", hour: "2-digit", minute: "2-digit" })).toBe("08:00");
    expect(due - at["reminder-due-day"]!).toBeLessThan(86_400_000);
    expect(at["escalation-1"]).toBe(due + 1000);
    expect(Math.round((at["escalation-2"]! - at["escalation-1"]!) / 3_600_000)).toBeGreaterThanOrEqual(71);

    // The messages carry the case reference, the deadline, the office and a link — and nothing else personal.
    const mail = await db().select().from(outbox).where(eq(outbox.notificationId, rows[3]!.id)).get();
    expect(mail!.recipients).toEqual(["procuratore.torino@example.org"]);
    expect(mail!.subject).toContain(`proc. ${ref}`);
    expect(mail!.text).toContain("Il termine è scaduto");
    expect(mail!.text).toContain(`${env.APP_BASE_URL}/cases/${encodeURIComponent(ref)}`);
    expect(mail!.html).toContain("<!doctype html>");
    expect(Object.keys(JSON.parse(JSON.stringify(mail)))).not.toContain("data");
  });

  it("stops the Procura's reminders the moment measures are requested, and starts the GIP's 20 days from that event", async () => {
    // Registered 27 days ago, in real time: the due date is 3 days on, plus up to 3 days of
    // holidays, so the 7-day reminder (08:00, 4 to 1 days ago) is already due and the 2-day one
    // (08:00 tomorrow at the earliest) is not. Events then happen now: no time travel runs ahead.
    const spy = await introspect(0);
    const ref = newRef();
    const instanceId = await start(ref, 27 * 86_400_000);
    const [wf] = spy.get();
    await wf!.waitForStepResult({ name: "deliver pm-assessment/reminder-7d" });

    const requested = ago(60_000);
    const res = await api("POST", `${casePath(ref)}/events`, { token: "termini-local-procura-token", body: { type: "measures.requested", occurredAt: requested } });
    expect(res.status).toBe(201);
    // plan 1 finds the reminder due, plan 2 waits for the next rung, plan 3 follows the wake-up.
    await wf!.waitForStepResult({ name: "plan", index: 3 });

    const rows = await sentOf(instanceId);
    const pm = rows.filter((n) => n.rung.startsWith("reminder") || n.rung.startsWith("escalation")).filter((n) => n.deadlineId.endsWith("pm-assessment"));
    expect(pm.filter((n) => n.status === "sent").map((n) => n.rung)).toEqual(["reminder-7d"]);
    expect(pm.filter((n) => n.status !== "sent").every((n) => n.status === "cancelled")).toBe(true);
    const gip = await db().select().from(deadlines).where(eq(deadlines.id, `${instanceId}.gip-decision`)).get();
    expect(gip).toMatchObject({ status: "open", officeId: "gip-torino" });
    expect(gip!.dueAtMs - Date.parse(requested)).toBeGreaterThan(19 * 86_400_000);
    const gipRows = rows.filter((n) => n.deadlineId === gip!.id);
    expect(gipRows.map((n) => n.status)).toEqual(["scheduled", "scheduled", "scheduled", "scheduled", "scheduled"]);
    expect(gipRows.find((n) => n.rung === "escalation-1")!.officeId).toBe("gip-presidente-torino");

    // The decision closes the GIP stage and the timeline; the workflow ends without sending anything more.
    const decided = await api("POST", `${casePath(ref)}/events`, { body: { type: "measures.decided", occurredAt: ago(1000) } });
    expect(decided.status).toBe(201);
    await wf!.waitForStatus("complete");
    const after = await sentOf(instanceId);
    expect(after.filter((n) => n.status === "sent").map((n) => n.rung)).toEqual(["reminder-7d"]);
    expect(after.filter((n) => n.deadlineId === gip!.id).every((n) => n.status === "cancelled")).toBe(true);

    const view = (await (await api("GET", casePath(ref))).json()) as { timelines: { status: string; deadlines: { stage: string; status: string; why: { steps: { citation: string }[] } }[] }[] };
    expect(view.timelines[0]!.status).toBe("closed");
    expect(view.timelines[0]!.deadlines.map((d) => [d.stage, d.status])).toEqual([["pm-assessment", "met"], ["gip-decision", "met"]]);
    expect(view.timelines[0]!.deadlines[0]!.why.steps[0]!.citation).toContain("c.p.p.");
  });

  it("closes the assessment with no grounds on measures.not-requested, and the workflow ends", async () => {
    const spy = await introspect(0);
    const ref = newRef();
    const instanceId = await start(ref);
    const [wf] = spy.get();
    // Started with its first plan, the workflow waits for the first reminder without reading D1;
    // the event below cuts that wait short (the engine keeps an event sent before the wait begins).
    const res = await postWebhook({ type: "measures.not-requested", caseRef: ref, occurredAt: ago(1000), data: {} });
    expect(res.status).toBe(201);
    await wf!.waitForStatus("complete");
    const d = await db().select().from(deadlines).where(eq(deadlines.instanceId, instanceId)).all();
    expect(d.map((x) => [x.stage, x.status, x.outcome])).toEqual([["pm-assessment", "met", "nessun presupposto"]]);
    expect((await sentOf(instanceId)).every((n) => n.status === "cancelled")).toBe(true);
  });
});
