/**
 * Endings shared by every delivery path: a delivery that can no longer be
 * made, and the administrators told that an endpoint keeps failing.
 */
import type { Directory, Subscription } from "../db/directory.js";
import { adminEmails, commitHeld } from "../db/delivery.js";
import { type HeldDelivery, attemptInsert, flagSubscription, settleDelivery, unflagSubscription } from "../db/outbound.js";
import { composeEndpointFailing } from "../notify/compose.js";
import type { OutboundContext, OutboundOutcome } from "./context.js";

/**
 * A delivery that can no longer be made (its subscription disabled, its event gone, its endpoint
 * one Termini must not post to): dead, with the reason logged, and nothing sent.
 */
export async function abandon(ctx: OutboundContext, held: HeldDelivery, why?: string): Promise<OutboundOutcome> {
  const error = why ?? (held.body === null ? "evento non trovato" : "abbonamento disattivato o eliminato");
  await commitHeld(ctx.db, [
    attemptInsert(ctx.db, held.id, ctx.now(), { via: "direct", status: null, durationMs: null, error }),
    settleDelivery(ctx.db, held, { status: "dead", lastStatus: null, lastError: error }),
  ]);
  return "dead";
}

/** Tells the administrators, once per run of failures, that an endpoint keeps failing. */
export async function flag(ctx: OutboundContext, dir: Directory, sub: Subscription, lastError: string, at: number): Promise<void> {
  const flagged = await flagSubscription(ctx.db, sub.id, at);
  if (flagged === null) return;
  const to = await adminEmails(ctx.db);
  if (to.length === 0) return;
  const content = composeEndpointFailing({
    office: dir.get(sub.officeId)?.name ?? sub.officeId, origin: new URL(sub.url).origin, since: flagged.failingSince, lastError,
    link: `${ctx.appBaseUrl}/admin/webhook/${encodeURIComponent(sub.id)}`,
  });
  // The same key for the whole run of failures: a repeated flag sends nothing twice.
  const r = await ctx.mailer.send({ idempotencyKey: `webhook-failing.${sub.id}.${flagged.failingSince}`, from: ctx.from, to, ...content });
  if (r.ok) return;
  // Not told after all: the next failure flags it again.
  await unflagSubscription(ctx.db, sub.id);
  console.error(JSON.stringify({ level: "warn", action: "webhook.flag-mail-failed", subscriptionId: sub.id, error: r.error }));
}
