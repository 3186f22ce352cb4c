/**
 * Starting and waking timeline workflows after D1 has changed. Failures
 * here lose nothing: the rows are written, and the cron sweep delivers
 * overdue notifications and restarts a workflow that is gone.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { timelineInstances } from "../db/schema.js";
import type { Wake } from "../domain/apply-event.js";
import type { Bindings } from "../env.js";
import { WAKE_EVENT } from "./timeline.js";

function log(action: string, instanceId: string, error: unknown): void {
  console.error(JSON.stringify({ level: "warn", action, instanceId, error: error instanceof Error ? error.name : "unknown" }));
}

export async function startWorkflow(env: Bindings, instanceId: string, workflowId: string): Promise<void> {
  await env.TIMELINE.create({ id: workflowId, params: { instanceId } });
}

/**
 * Sends the wake event; restarts the workflow when it is no longer alive.
 * `closedToo`: also wake the workflow of an instance that has just closed, so
 * it ends now rather than at its next timer (the event path); the sweep
 * only keeps running instances alive.
 */
export async function ensureAwake(env: Bindings, db: Db, instanceId: string, now: number, closedToo = true): Promise<void> {
  const row = await db.select().from(timelineInstances).where(eq(timelineInstances.id, instanceId)).get();
  // An instance closed the moment it started (informational dates only) never had a workflow.
  if (row === undefined || (row.status !== "running" && (!closedToo || row.closedAt === row.startedAt))) return;
  try {
    const wf = await env.TIMELINE.get(row.workflowId);
    const { status } = await wf.status();
    if (status !== "errored" && status !== "terminated" && status !== "complete") {
      await wf.sendEvent({ type: WAKE_EVENT, payload: {} });
      return;
    }
  } catch {
    // Unknown to the engine (e.g. lost by a local restart): start a new one.
  }
  if (row.status !== "running") return;
  const workflowId = `${instanceId}-${now}`;
  await startWorkflow(env, instanceId, workflowId);
  await db.update(timelineInstances).set({ workflowId }).where(eq(timelineInstances.id, instanceId)).run();
}

export async function wakeAll(env: Bindings, db: Db, wake: Wake, now: number): Promise<void> {
  for (const id of wake.start) {
    try {
      await startWorkflow(env, id, id);
    } catch (e) {
      log("workflow.start", id, e);
    }
  }
  for (const id of wake.replan) {
    try {
      await ensureAwake(env, db, id, now);
    } catch (e) {
      log("workflow.wake", id, e);
    }
  }
}
