/**
 * Attendance windows are calendar weeks on the Rome clock (art. 172 co. 2
 * c.p.p.), through the webhook a CUAV's system calls: across the change
 * from summer time the week still ends at the hour it began, so an
 * attestation in the hour that 168 elapsed hours would have cut off still
 * counts in its week, and no false absence is reported.
 */
import { env } from "cloudflare:workers";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { deadlines, notifications } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, postWebhook } from "../backbone/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

const send = async (ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) => {
  const res = await postWebhook({ type, caseRef: ref, occurredAt, data });
  return { status: res.status, body: (await res.json()) as { timelines: { instanceId: string }[]; deadlines: { stage: string; dueAt: string; status: string }[] } };
};

it("ends a week begun on Monday 10:00 summer time at Monday 10:00 winter time, and counts the attestation at 09:30 in it", async () => {
  const ref = newRef();
  // Summer time ends on Sunday 26 October 2025.
  // The irrevocable judgment sets the start (by 31 October) and the duration; the intake opens the weeks.
  const judged = await send(ref, "sentence.irrevocable", "2025-10-01T10:00:00+02:00", { jurisdiction: "TO", dueDate: "2025-10-31", durationMonths: "8" });
  expect(judged.status).toBe(201);
  const start = await send(ref, "programme.started-suspended-sentence", "2025-10-20T10:00:00+02:00");
  expect(start.status).toBe(201);
  expect(start.body.deadlines.find((d) => d.stage === "attendance")!.dueAt).toBe("2025-10-27T10:00:00+01:00");
  const id = judged.body.timelines[0]!.instanceId;
  await send(ref, "programme.attendance", "2025-10-21T10:00:00+02:00");
  // 168 elapsed hours would have ended the week at 09:00 winter time, leaving this attestation to week 2.
  const second = await send(ref, "programme.attendance", "2025-10-27T09:30:00+01:00");
  expect(second.body.deadlines).toMatchObject([{ status: "met" }]);

  await sweep(env, Date.parse("2025-10-27T10:00:01+01:00"));
  await sweep(env, Date.parse("2025-10-28T09:00:00+01:00"));
  const weeks = await db().select().from(deadlines).where(and(eq(deadlines.instanceId, id), eq(deadlines.stage, "attendance"))).orderBy(asc(deadlines.seq)).all();
  expect(weeks.map((w) => [w.seq, w.status, w.dueAt])).toEqual([[1, "met", "2025-10-27T10:00:00+01:00"], [2, "open", "2025-11-03T10:00:00+01:00"]]);
  const anomalies = await db().select().from(notifications).where(and(eq(notifications.instanceId, id), eq(notifications.kind, "escalation"), eq(notifications.status, "sent"))).all();
  expect(anomalies).toEqual([]);
});

it("ends a week begun on Monday 10:00 winter time at Monday 10:00 summer time", async () => {
  const ref = newRef();
  await send(ref, "sentence.irrevocable", "2025-03-03T10:00:00+01:00", { jurisdiction: "TO", dueDate: "2025-03-31", durationMonths: "8" });
  const start = await send(ref, "programme.started-suspended-sentence", "2025-03-24T10:00:00+01:00");
  expect(start.body.deadlines.find((d) => d.stage === "attendance")!.dueAt).toBe("2025-03-31T10:00:00+02:00");
});
