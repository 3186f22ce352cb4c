/**
 * What an administrator does by hand from a subscription's page or the
 * API: send a test event, or replay a delivery from the dead-letter queue.
 * Both go through the same claimed, signed, logged path as any delivery,
 * at once, and answer with its outcome.
 */
import { auditInsert } from "../db/audit.js";
import { getDelivery, replayDelivery, republished } from "../db/outbound.js";
import { outboundDeliveries, outboundEvents } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import type { Principal } from "../auth/principal.js";
import type { SubscriptionRow } from "../domain/subscriptions.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";
import { deliverOutbound } from "./deliver.js";
import { testEvent } from "./events.js";
import { retryFromDlq } from "./qstash.js";

export interface ManualResult {
  delivery: string;
  outcome: OutboundOutcome;
  /** The endpoint's HTTP status; null: no answer. */
  status: number | null;
  error: string | null;
}

async function outcomeOf(ctx: OutboundContext, id: string, outcome: OutboundOutcome): Promise<ManualResult> {
  const d = (await getDelivery(ctx.db, id))!;
  return { delivery: id, outcome, status: d.lastStatus, error: d.lastError };
}

export async function sendTest(ctx: OutboundContext, p: Principal, sub: SubscriptionRow, requestId: string | null): Promise<ManualResult> {
  if (sub.disabledAt !== null) throw new ApiError("subscription_disabled", "Abbonamento disattivato: riattivarlo prima di inviare un evento di prova");
  const at = ctx.now();
  const e = testEvent(sub.id, sub.officeId, at);
  const id = `${e.id}.${sub.id}`;
  await ctx.db.batch([
    ctx.db.insert(outboundEvents).values({ id: e.id, kind: e.kind, caseId: null, body: e.body, createdAt: at }),
    ctx.db.insert(outboundDeliveries).values({ id, eventId: e.id, subscriptionId: sub.id, instanceId: null, status: "pending", dueAt: at, createdAt: at }),
    auditInsert(ctx.db, { actor: p.id, action: "subscription.tested", caseId: null, requestId, detail: { subscription: sub.id, delivery: id } }, at),
  ]);
  return outcomeOf(ctx, id, await deliverOutbound(ctx, id, at));
}

/** A dead delivery, due again now and attempted at once; its webhook-id is the event's, as the first time. */
export async function replay(ctx: OutboundContext, p: Principal, sub: SubscriptionRow, deliveryId: string, requestId: string | null): Promise<ManualResult> {
  const d = await getDelivery(ctx.db, deliveryId);
  if (d === undefined || d.subscriptionId !== sub.id) throw new ApiError("not_found", `Nessuna consegna ${deliveryId} per questo abbonamento`);
  const at = ctx.now();
  if (d.status !== "dead") throw new ApiError("delivery_not_dead", "Solo una consegna non riuscita (coda degli eventi non consegnati) si può reinviare");
  await auditInsert(ctx.db, { actor: p.id, action: "subscription.replayed", caseId: null, requestId, detail: { subscription: sub.id, delivery: deliveryId } }, at).run();
  // In QStash's dead-letter queue: QStash delivers it again from there (and drops it from the queue).
  if (ctx.qstash !== null && d.dlqId !== null) {
    const r = await retryFromDlq(ctx.qstash, d.dlqId);
    if (r.ok) {
      await republished(ctx.db, deliveryId, r.messageId, ctx.now(), ctx.checkAfterMs);
      return outcomeOf(ctx, deliveryId, "published");
    }
  }
  // Otherwise (or QStash no longer keeps it): due again now, published or posted afresh.
  if (!(await replayDelivery(ctx.db, deliveryId, at))) throw new ApiError("delivery_not_dead", "La consegna è già stata ripresa da un'altra richiesta");
  return outcomeOf(ctx, deliveryId, await deliverOutbound(ctx, deliveryId, at));
}
