/**
 * Several messages due for one office at once go out as one email, the
 * morning digest ("Scadenze di oggi"), with the digest's own id as the
 * provider's idempotency key: each member is marked sent, audited and
 * counted once, a crash after the provider's acceptance doubles nothing,
 * and an outage loses nothing.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { auditLog, notifications, statCounters } from "../../src/db/schema.js";
import { deliveryContext } from "../../src/notify/context.js";
import { deliver } from "../../src/notify/deliver.js";
import type { Mailer } from "../../src/notify/mailer.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, postWebhook, record, registration, runningCases } from "../backbone/helpers.js";
import { fakeResend } from "../fake-resend/client.js";

const fake = fakeResend("digest");
const MIN = 60_000;
// Registered 2 March 2026: due 1 April; the first escalations when the deadline passes.
const ESCALATION_AT = Date.parse("2026-04-02T00:00:30+02:00");
const HEAD = "procuratore.torino@example.org";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => {
  spy = await idleWorkflows();
  // Whatever an earlier test left due goes out first, so that each test's digest is its own.
  await sweep(fake.bindings(), ESCALATION_AT + 60 * MIN);
  await fake.reset();
});
afterEach(async () => { await spy.dispose(); });

/** Three cases whose first escalations fall due for the head of the Procura at the same instant. */
async function threeEscalations(): Promise<{ refs: string[]; ids: string[] }> {
  const refs = [newRef(), newRef(), newRef()];
  const ids: string[] = [];
  for (const ref of refs) {
    const res = await postWebhook(registration(ref, "2026-03-02T10:15:00+01:00"));
    ids.push(`${((await res.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId}.pm-assessment.escalation-1`);
  }
  return { refs, ids };
}

const rows = async (ids: string[]) => Promise.all(ids.map(async (id) => (await db().select().from(notifications).where(eq(notifications.id, id)).get())!));
const sentAudits = async (id: string) => (await db().select().from(auditLog)
  .where(and(eq(auditLog.action, "notification.sent"), sql`json_extract(${auditLog.detail}, '$.notificationId') = ${id}`)).all()).length;
const escalated = async () => (await db().select().from(statCounters)
  .where(and(eq(statCounters.officeId, "procura-torino"), eq(statCounters.metric, "362-bis:pm-assessment:escalated"))).all())
  .reduce((a, r) => a + r.value, 0);
const toHead = async () => (await fake.delivered()).filter((d) => d.to.includes(HEAD));

it("sends the office one digest with every message due, each marked sent, audited and counted once", async () => {
  const { refs, ids } = await threeEscalations();
  const before = await escalated();
  await sweep(fake.bindings(), ESCALATION_AT);

  const mail = await toHead();
  expect(mail).toHaveLength(1);
  expect(mail[0]!.subject).toBe("[Termini] Scadenze di oggi — Procuratore della Repubblica presso il Tribunale di Torino: 3 termini scaduti");
  const text = (await fake.requests()).find((r) => r.status === 200 && [r.body.to].flat().includes(HEAD))!.body.text;
  for (const ref of refs) expect(text).toContain(`proc. ${ref}`);
  const sent = await rows(ids);
  expect(sent.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  expect(new Set(sent.map((r) => r.providerId))).toEqual(new Set([mail[0]!.id]));
  for (const id of ids) expect(await sentAudits(id)).toBe(1);
  expect((await escalated()) - before).toBe(3);
});

it("doubles nothing when the sender dies after the provider accepted the digest", async () => {
  const { ids } = await threeEscalations();
  const before = await escalated();
  const ctx = deliveryContext(fake.bindings(), "system:cron", ESCALATION_AT);
  const crashing: Mailer = { name: ctx.mailer.name, send: async (e) => { await ctx.mailer.send(e); throw new Error("process killed"); } };
  await expect(deliver({ ...ctx, mailer: crashing }, ids[0]!, ESCALATION_AT)).rejects.toThrow("process killed");
  expect((await rows(ids)).map((r) => r.status)).toEqual(["digested", "digested", "digested"]);

  // The claim goes stale; the sweep sends the same digest under the same key: the provider answers the first id.
  await sweep(fake.bindings(), ESCALATION_AT + 5 * MIN);
  expect(await toHead()).toHaveLength(1);
  expect((await rows(ids)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
  for (const id of ids) expect(await sentAudits(id)).toBe(1);
  expect((await escalated()) - before).toBe(3);
});

it("keeps the digest due through an outage, and leaves out a deadline closed meanwhile", async () => {
  const { refs, ids } = await threeEscalations();
  await fake.outage(503);
  await sweep(fake.bindings(), ESCALATION_AT);
  expect((await rows(ids)).map((r) => r.status)).toEqual(["digested", "digested", "digested"]);
  expect(await toHead()).toHaveLength(0);

  // The first case's deadline is met late: its escalation no longer needs saying.
  expect((await record(refs[0]!, "measures.requested", "2026-04-02T00:01:00+02:00")).status).toBe(201);
  await fake.outage(null);
  await sweep(fake.bindings(), ESCALATION_AT + 5 * MIN);
  const mail = await toHead();
  expect(mail).toHaveLength(1);
  expect(mail[0]!.subject).toContain("2 termini scaduti");
  expect((await rows(ids)).map((r) => r.status)).toEqual(["cancelled", "sent", "sent"]);
});

it("forwards the whole digest to the office's fallback address when it keeps failing", async () => {
  const { refs } = await threeEscalations();
  await fake.script({ to: HEAD, always: 503 });
  const quickAlert = { MAIL_ALERT_AFTER_MS: "60000" };
  await sweep(fake.bindings(quickAlert), ESCALATION_AT);
  // The second failure, more than a minute after the first, writes the fallback; the next sweep sends it.
  await sweep(fake.bindings(quickAlert), ESCALATION_AT + 2 * MIN);
  await sweep(fake.bindings(quickAlert), ESCALATION_AT + 3 * MIN);
  const fallback = (await fake.requests()).filter((r) => r.status === 200 && [r.body.to].flat().includes("segreteria.procuratore.torino@example.org"));
  expect(fallback).toHaveLength(1);
  expect(fallback[0]!.body.subject).toBe("[Termini] Recapito non riuscito — Scadenze di oggi — Procuratore della Repubblica presso il Tribunale di Torino: 3 termini scaduti");
  for (const ref of refs) expect(fallback[0]!.body.text).toContain(`proc. ${ref}`);
  expect(fallback[0]!.body.text).toContain("lo inoltriamo all'indirizzo di riserva");
  await fake.reset();
});

it("gathers more messages than D1 binds in one statement: 100 escalations due at once go out in one digest, each sent once", async () => {
  // A hundred running 362-bis cases whose first escalation falls due now (written as the event path writes them).
  const deadlines = await runningCases("dg", 100, {
    started: Date.parse("2026-03-02T10:15:00+01:00"), due: Date.parse("2026-04-01T23:59:59+02:00"), rungs: [["escalation-1", "escalation", ESCALATION_AT]], recipients: [HEAD],
  });
  const ids = deadlines.map((d) => `${d}.escalation-1`);
  // Their workflows are taken to be alive and waiting (these rows have none): the sweep only delivers.
  const alive = { get: async () => ({ status: async () => ({ status: "waiting" }), sendEvent: async () => undefined }), create: async () => undefined } as unknown as Workflow;
  await sweep({ ...fake.bindings(), TIMELINE: alive }, ESCALATION_AT);
  const mail = await toHead();
  expect(mail).toHaveLength(1);
  expect(mail[0]!.subject).toContain("100 termini scaduti");
  const sent = await rows(ids);
  expect(sent.filter((r) => r.status !== "sent")).toEqual([]);
  expect(new Set(sent.map((r) => r.providerId))).toEqual(new Set([mail[0]!.id]));
});
