/**
 * What an event tells the workflows, from what it already read and wrote:
 * a new timeline's workflow starts knowing when its first message falls
 * due, and an existing one is woken without reading its instance again.
 */
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Principal } from "../../src/auth/principal.js";
import { notifications, timelineInstances } from "../../src/db/schema.js";
import { applyEvent } from "../../src/domain/events/apply-event.js";
import { ago, db, newRef } from "./helpers.js";

const ADMIN: Principal = { id: "credential:wake-test", role: "admin", offices: new Set() };
const opts = () => ({ idempotencyKey: crypto.randomUUID(), now: Date.now(), requestId: null, billEnabled: () => false });

it("starts a new timeline's workflow with the instant its first message falls due", async () => {
  const ref = newRef();
  const { result, wake } = await applyEvent(db(), ADMIN, { type: "suspect.registered", caseRef: ref, occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } }, opts());
  const instanceId = result.timelines[0]!.instanceId;
  const due = await db().select({ at: notifications.sendAtMs }).from(notifications).where(eq(notifications.instanceId, instanceId)).all();
  expect(due.length).toBeGreaterThan(0);
  expect(wake.start).toEqual([{ instanceId, firstAt: Math.min(...due.map((n) => n.at)) }]);
});

it("wakes an existing timeline's workflow by its id, saying whether the event closed the timeline", async () => {
  const ref = newRef();
  const started = await applyEvent(db(), ADMIN, { type: "suspect.registered", caseRef: ref, occurredAt: ago(3_600_000), data: { jurisdiction: "TO" } }, opts());
  const instanceId = started.result.timelines[0]!.instanceId;
  const { workflowId } = (await db().select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get())!;
  const asked = await applyEvent(db(), ADMIN, { type: "measures.requested", caseRef: ref, occurredAt: ago(60_000), data: {} }, opts());
  expect(asked.wake.replan).toEqual([{ instanceId, workflowId, running: true }]);
  const decided = await applyEvent(db(), ADMIN, { type: "measures.decided", caseRef: ref, occurredAt: ago(1_000), data: {} }, opts());
  expect(decided.wake.replan).toEqual([{ instanceId, workflowId, running: false }]);
});
