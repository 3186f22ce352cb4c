/**
 * One durable workflow per timeline instance. It holds no state of its
 * own: each round it plans from D1, delivers what is due inside `step.do`
 * (emails, and the timeline's outbound webhook events),
 * then waits for the next due time or for an event that changes the plan.
 *
 * The wait is `waitForEvent` with a timeout, not `sleepUntil`: local
 * workflows lose sleeps across restarts, and an arriving event must be
 * able to cut the wait short. When the timeout fires, the next round plans
 * as of the instant it waited for.
 */
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import { districtDb } from "../db/districts.js";
import type { Bindings } from "../env.js";
import { deliver } from "../notify/deliver.js";
import { deliveryContext, staleClaimMs } from "../notify/context.js";
import { planInstance } from "./plan.js";
import { deliverOutbound } from "../outbound/deliver.js";
import { outboundContext } from "../outbound/context.js";

export interface TimelineParams {
  instanceId: string;
  /**
   * When the instance's first message falls due, as planned by the event
   * that started it (null: nothing pending): the first round waits without
   * reading D1. Absent on a workflow started again by the sweep.
   */
  firstAt?: number | null;
  /** The district whose database holds the instance (null or absent: the single database). */
  district?: string | null;
}

export const WAKE_EVENT = "replan";
/**
 * Longest single wait, well inside the platform's limit for a
 * waitForEvent timeout; a round with nothing to do simply waits again.
 * Every rung of a 30-day term is one wait away from the previous one.
 */
const MAX_WAIT_MS = 31 * 24 * 3_600_000;
const MAX_ROUNDS = 400;

const DELIVERY = { retries: { limit: 6, delay: "30 seconds", backoff: "exponential" }, timeout: "5 minutes" } as const;

export class TimelineWorkflow extends WorkflowEntrypoint<Bindings, TimelineParams> {
  override async run(event: WorkflowEvent<TimelineParams>, step: WorkflowStep): Promise<{ closed: boolean }> {
    const { instanceId, firstAt, district } = event.payload;
    const db = districtDb(this.env, district);
    let floor = 0;
    // Decided from the payload and the creation time only, so a replay of run() takes the same branch.
    const created = event.timestamp.getTime();
    if (typeof firstAt === "number" && firstAt > created) {
      const wait = Math.min(firstAt - created, MAX_WAIT_MS);
      try {
        await step.waitForEvent("wake", { type: WAKE_EVENT, timeout: wait });
      } catch {
        floor = created + wait;
      }
    }
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const plan = await step.do("plan", () =>
        planInstance(db, instanceId, Math.max(Date.now(), floor), staleClaimMs(this.env), outboundContext(this.env).staleMs));
      for (const d of plan.due) {
        await step.do(`deliver ${d.key}`, DELIVERY, async () => {
          const at = Math.max(Date.now(), plan.asOf);
          const outcome = d.channel === "mail"
            ? await deliver(deliveryContext(this.env, "system:workflow", at, db), d.id, plan.asOf)
            : await deliverOutbound(outboundContext(this.env, at, db), d.id, plan.asOf);
          // Another sender holds the claim, or the endpoint has its parallelism in flight: later, never twice.
          if (outcome === "in-flight" || outcome === "busy") throw new Error(`delivery of ${d.key} ${outcome}`);
          return outcome;
        });
      }
      if (plan.due.length > 0) continue;
      if (plan.closed) return { closed: true };
      const wait = plan.nextAt === null ? MAX_WAIT_MS : Math.min(Math.max(plan.nextAt - plan.asOf, 1000), MAX_WAIT_MS);
      try {
        await step.waitForEvent("wake", { type: WAKE_EVENT, timeout: wait });
        floor = plan.asOf;
      } catch {
        floor = plan.asOf + wait;
      }
    }
    return { closed: false };
  }
}
