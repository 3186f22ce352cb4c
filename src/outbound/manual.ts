/**
 * What a subscriber or an administrator does by hand from a subscription's
 * page or the API: send a test event, send a sample of any event type, or
 * redeliver any delivery (delivered, given up, or never sent while the
 * subscription was off). Each goes through the same claimed, signed, logged
 * path as any delivery, at once, and answers with its outcome; each is audited.
 */
import { auditInsert } from "../db/audit.js";
import { getDelivery, replayDelivery, republished } from "../db/outbound.js";
import { outboundDeliveries, outboundEvents } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import type { Principal } from "../auth/principal.js";
import type { SubscriptionRow } from "../domain/subscriptions/subscriptions.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";
import { deliverOutbound } from "./deliver.js";
import { type OutboundEvent, type OutboundKind, testEvent } from "./events.js";
import { sampleEvent } from "./samples.js";
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

/** A one-off event for this subscription alone, written and attempted at once. */
async function sendOwn(ctx: OutboundContext, p: Principal, sub: SubscriptionRow, e: OutboundEvent, action: string, requestId: string | null): Promise<ManualResult> {
  if (sub.disabledAt !== null) throw new ApiError("subscription_disabled", "Abbonamento sospeso o disattivato: riattivarlo prima di inviare un evento");
  const at = ctx.now();
  const id = `${e.id}.${sub.id}`;
  await ctx.db.batch([
    ctx.db.insert(outboundEvents).values({ id: e.id, kind: e.kind, caseId: null, body: e.body, createdAt: at }),
    ctx.db.insert(outboundDeliveries).values({ id, eventId: e.id, subscriptionId: sub.id, instanceId: null, status: "pending", dueAt: at, createdAt: at }),
    auditInsert(ctx.db, { actor: p.id, action, caseId: null, requestId, detail: { subscription: sub.id, delivery: id, kind: e.kind } }, at),
  ]);
  return outcomeOf(ctx, id, await deliverOutbound(ctx, id, at));
}

export function sendTest(ctx: OutboundContext, p: Principal, sub: SubscriptionRow, requestId: string | null): Promise<ManualResult> {
  return sendOwn(ctx, p, sub, testEvent(sub.id, sub.officeId, ctx.now()), "subscription.tested", requestId);
}

/** A sample of a real event type, with realistic (fictional) data and `sample: true`. */
export async function sendSample(ctx: OutboundContext, p: Principal, sub: SubscriptionRow, kind: OutboundKind, requestId: string | null): Promise<ManualResult> {
  return sendOwn(ctx, p, sub, sampleEvent(kind, sub.officeId, ctx.appBaseUrl, ctx.now()), "subscription.sampled", requestId);
}

/**
 * Any delivery of this subscription sent again now, under its event's webhook-id as the first time:
 * one already delivered (the receiver lost it), given up, or never sent (the subscription was off).
 * Refused while an attempt is under way.
 */
export async function replay(ctx: OutboundContext, p: Principal, sub: SubscriptionRow, deliveryId: string, requestId: string | null): Promise<ManualResult> {
  const d = await getDelivery(ctx.db, deliveryId);
  if (d === undefined || d.subscriptionId !== sub.id) throw new ApiError("not_found", `Nessuna consegna ${deliveryId} per questo abbonamento`);
  if (sub.disabledAt !== null) throw new ApiError("subscription_disabled", "Abbonamento sospeso o disattivato: riattivarlo prima di reinviare");
  if (d.status === "sending" || d.status === "published") throw new ApiError("delivery_in_flight", "Un tentativo di questa consegna è in corso: se ne attende l'esito");
  const at = ctx.now();
  await auditInsert(ctx.db, { actor: p.id, action: "subscription.replayed", caseId: null, requestId, detail: { subscription: sub.id, delivery: deliveryId, was: d.status } }, at).run();
  // In QStash's dead-letter queue: QStash delivers it again from there (and drops it from the queue).
  if (ctx.qstash !== null && d.status === "dead" && d.dlqId !== null) {
    const r = await retryFromDlq(ctx.qstash, d.dlqId);
    if (r.ok) {
      await republished(ctx.db, deliveryId, r.messageId, ctx.now(), ctx.checkAfterMs);
      return outcomeOf(ctx, deliveryId, "published");
    }
  }
  // Otherwise (or QStash no longer keeps it): due again now, its failures forgotten, published or posted afresh.
  if (!(await replayDelivery(ctx.db, deliveryId, at))) throw new ApiError("delivery_in_flight", "La consegna è già stata ripresa da un'altra richiesta");
  return outcomeOf(ctx, deliveryId, await deliverOutbound(ctx, deliveryId, at));
}
