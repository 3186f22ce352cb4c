/**
 * Starting and waking timeline workflows after D1 has changed. A failure
 * here loses nothing: the rows are written, the failure is recorded
 * (workflow_failures, shown to administrators) and the cron sweep starts
 * the workflow again; overdue notifications are delivered by the sweep
 * meanwhile.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { timelineInstances } from "../db/schema.js";
import { recordWorkflowFailure } from "../db/workflow-failures.js";
import type { Wake } from "../domain/events/apply-event.js";
import type { Bindings } from "../env.js";
import { type TimelineParams, WAKE_EVENT } from "./timeline.js";

async function failed(db: Db, action: "start" | "wake", instanceId: string, error: unknown, now: number): Promise<void> {
  const name = error instanceof Error ? error.name : "unknown";
  console.error(JSON.stringify({ level: "warn", action: `workflow.${action}`, instanceId, error: name }));
  try {
    await recordWorkflowFailure(db, instanceId, action, name, now);
  } catch {
    // D1 unreachable too: the sweep still finds the instance by its overdue notifications.
  }
}

/**
 * `db`: where the instance lives, whose district the workflow is told.
 * `firstAt`: when the first message falls due, so the workflow's first round needs no read.
 */
export async function startWorkflow(env: Bindings, db: Db, instanceId: string, workflowId: string, firstAt?: number | null): Promise<void> {
  const params: TimelineParams = { instanceId, district: db.district };
  if (firstAt !== undefined) params.firstAt = firstAt;
  await env.TIMELINE.create({ id: workflowId, params });
}

interface Known {
  instanceId: string;
  workflowId: string;
  running: boolean;
}

/** Sends the wake event; starts a new workflow when the old one is no longer alive and the instance runs. */
async function wake(env: Bindings, db: Db, w: Known, now: number): Promise<void> {
  try {
    const wf = await env.TIMELINE.get(w.workflowId);
    const { status } = await wf.status();
    if (status !== "errored" && status !== "terminated" && status !== "complete") {
      await wf.sendEvent({ type: WAKE_EVENT, payload: {} });
      return;
    }
  } catch {
    // Unknown to the engine (e.g. lost by a local restart): start a new one.
  }
  if (!w.running) return;
  const workflowId = `${w.instanceId}-${now}`;
  await startWorkflow(env, db, w.instanceId, workflowId);
  await db.update(timelineInstances).set({ workflowId }).where(eq(timelineInstances.id, w.instanceId)).run();
}

/**
 * The same, reading the instance first. `closedToo`: also wake the workflow
 * of an instance that has just closed, so it ends now rather than at its
 * next timer (the event path); the sweep only keeps running instances alive.
 */
export async function ensureAwake(env: Bindings, db: Db, instanceId: string, now: number, closedToo = true): Promise<void> {
  const row = await db.select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get();
  // An instance closed the moment it started (informational dates only) never had a workflow.
  if (row === undefined || (row.status !== "running" && (!closedToo || row.closedAt === row.startedAt))) return;
  await wake(env, db, { instanceId, workflowId: row.workflowId, running: row.status === "running" }, now);
}

export async function wakeAll(env: Bindings, db: Db, w: Wake, now: number): Promise<void> {
  for (const { instanceId, firstAt } of w.start) {
    try {
      await startWorkflow(env, db, instanceId, instanceId, firstAt);
    } catch (e) {
      await failed(db, "start", instanceId, e, now);
    }
  }
  for (const r of w.replan) {
    try {
      if (r.workflowId === undefined || r.running === undefined) await ensureAwake(env, db, r.instanceId, now);
      else await wake(env, db, { instanceId: r.instanceId, workflowId: r.workflowId, running: r.running }, now);
    } catch (e) {
      await failed(db, "wake", r.instanceId, e, now);
    }
  }
}
