/**
 * The cron sweep delivers overdue notifications through the same
 * idempotent path as the workflow: however often it runs, and even
 * racing the workflow, each message goes out once.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { cases, notifications, outbox, timelineInstances } from "../../src/db/schema.js";
import worker from "../../src/index.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, postWebhook, registration } from "./helpers.js";

let introspector: Awaited<ReturnType<typeof idleWorkflows>> | undefined;
afterEach(async () => {
  await introspector?.dispose();
  introspector = undefined;
});

/** Registers a case whose workflow is stalled: every plan finds nothing, so only the sweep sends. */
async function stalledCase(occurredAt: string): Promise<string> {
  introspector = await idleWorkflows();
  const res = await postWebhook(registration(newRef(), occurredAt));
  expect(res.status).toBe(201);
  return ((await res.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId;
}

async function refOf(instanceId: string): Promise<string> {
  const [row] = await db()
    .select({ ref: cases.ref })
    .from(timelineInstances)
    .innerJoin(cases, eq(cases.id, timelineInstances.caseId))
    .where(eq(timelineInstances.id, instanceId))
    .all();
  return row!.ref;
}

const rowsOf = (instanceId: string) => db().select().from(notifications).where(eq(notifications.instanceId, instanceId)).all();

it("fires an overdue reminder exactly once, however many sweeps run", async () => {
  // Registered 2 March 2026: due 1 April; the 7-day reminder is at 08:00 on 25 March.
  const instanceId = await stalledCase("2026-03-02T10:15:00+01:00");
  const seven = `${instanceId}.pm-assessment.reminder-7d`;
  const sweepAt = Date.parse("2026-03-25T09:00:00+01:00");

  const ctrl = createScheduledController({ scheduledTime: sweepAt, cron: "*/5 * * * *" });
  const ctx = createExecutionContext();
  await worker.scheduled(ctrl, env, ctx);
  await waitOnExecutionContext(ctx);
  // Two more sweeps, one of them racing a third.
  await Promise.all([sweep(env, sweepAt + 300_000), sweep(env, sweepAt + 300_000)]);

  const rows = await rowsOf(instanceId);
  expect(rows.find((n) => n.id === seven)).toMatchObject({ status: "sent", attempts: 1 });
  expect(rows.filter((n) => n.id !== seven).every((n) => n.status === "scheduled")).toBe(true);
  const mails = await db().select().from(outbox).where(eq(outbox.notificationId, seven)).all();
  expect(mails).toHaveLength(1);
});

it("sends only the latest of several overdue reminders, and every overdue escalation", async () => {
  const instanceId = await stalledCase("2026-03-02T10:15:00+01:00");
  // 3 April: after the deadline (1 April, 23:59:59) and the first escalation
  // (2 April, 00:00), before the second (3 days later, 5 April 00:00).
  await sweep(env, Date.parse("2026-04-03T12:00:00+02:00"));
  const rows = await rowsOf(instanceId);
  const status = Object.fromEntries(rows.map((n) => [n.rung, n.status]));
  expect(status).toEqual({
    "reminder-7d": "superseded", "reminder-2d": "superseded", "reminder-due-day": "superseded",
    "escalation-1": "sent", "escalation-2": "scheduled",
  });
});

it("does not send what a closing event cancelled, even when the sweep comes later", async () => {
  const instanceId = await stalledCase("2026-03-02T10:15:00+01:00");
  const ref = await refOf(instanceId);
  const closed = await postWebhook({ type: "measures.not-requested", caseRef: ref, occurredAt: "2026-03-20T10:00:00+01:00", data: {} });
  expect(closed.status).toBe(201);
  await sweep(env, Date.parse("2026-04-10T12:00:00+02:00"));
  expect((await rowsOf(instanceId)).every((n) => n.status === "cancelled")).toBe(true);
});
