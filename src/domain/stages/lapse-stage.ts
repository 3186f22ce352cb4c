/**
 * A stage whose expiry makes the measure lapse (the removal "diviene
 * inefficace" without a request for validation in 48 hours) has passed
 * without its act. The timeline records the legal effect as an event of its
 * own, at the instant the term ended; the stage shows the effect; the acts
 * the law no longer allows are no longer offered (the other open stages end,
 * so does the timeline); reminders stop, and the escalations, which go out
 * still, say what has happened. Runs inside a workflow step or the sweep;
 * deterministic ids and guarded updates make a repeat write nothing.
 *
 * If the act was in fact done in time and recorded late, cancelling this
 * event (event.cancelled) reopens what it closed, as for any event.
 */
import { type SQL, and, eq, inArray, not, sql } from "drizzle-orm";
import { eventId } from "../../outbound/events.js";
import type { Db } from "../../db/client.js";
import { type Also, type Conditional, type Held, auditWhileHeld, bumpWhileHeld, commitHeld, settle } from "../../db/delivery.js";
import { directory } from "../../db/directory.js";
import { deadlines, notifications, outboundDeliveries, outboundEvents, timelineInstances } from "../../db/schema.js";
import { getTimeline } from "../../timelines/catalog.js";
import { LAPSE_EVENT } from "../../timelines/consequence.js";
import type { Stmt } from "../events/changes.js";
import { closingBumps } from "../reports/counts.js";
import { type OutboundFact, caseFactsOf, deadlineFact, outboundRows } from "../subscriptions/outbound.js";

type Deadline = typeof deadlines.$inferSelect;

/** The lapse event's idempotency key: one per deadline, whoever records it. */
const lapseKey = (deadlineId: string): string => `lapse:${deadlineId}`;

/** Its id, a UUID like every event's (so that event.cancelled names it), derived from the key: the same on every attempt. */
async function lapseEventId(deadlineId: string): Promise<string> {
  const h = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(lapseKey(deadlineId))))].slice(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8: custom
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const x = h.map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** What the other open stages of the timeline record when the measure has lapsed. */
const noLongerDue = (effect: string): string => `non più dovuta: ${effect}`;

export async function lapseStage(db: Db, seen: Deadline, held: Held, at: number, outbound?: { appBaseUrl: string; asOf: number }): Promise<"sent" | "cancelled" | "already-done"> {
  // Read again now that the row is ours: an act may have closed the stage since the row was read.
  const d = (await db.select().from(deadlines).where(eq(deadlines.id, seen.id)).get()) ?? seen;
  const instance = (await db.select().from(timelineInstances).where(eq(timelineInstances.id, d.instanceId)).get())!;
  const def = getTimeline(instance.timeline, instance.version)!;
  const stage = def.stages.find((s) => s.id === d.stage)!;
  const effect = stage.consequence.effect;
  // Closed in time (or withdrawn, or the timeline ended): nothing lapsed.
  if (instance.status !== "running" || d.status !== "open" || effect === undefined) {
    await settle(db, held, { status: "cancelled" }).run();
    return "cancelled";
  }
  const eventId = await lapseEventId(d.id);
  const others = (await db.select().from(deadlines).where(and(eq(deadlines.instanceId, d.instanceId), eq(deadlines.status, "open"))).all())
    .filter((x) => x.id !== d.id);
  const otherOutcome = noLongerDue(effect);
  // The batch is one transaction. Its first two writes need the stage still open; every later one needs
  // the stage lapsed by this very event: an act that closed it in between leaves nothing of the lapse.
  const byThis: Also = { sql: "EXISTS (SELECT 1 FROM deadlines WHERE id = ? AND status = 'lapsed' AND closed_by_event = ?)", binds: [d.id, eventId] };
  const lapsedByThis = sql`exists (select 1 from deadlines x where x.id = ${d.id} and x.status = 'lapsed' and x.closed_by_event = ${eventId})`;
  const stmts: (Stmt | Conditional)[] = [
    db.$client.prepare(`INSERT OR IGNORE INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at)
      SELECT ?, ?, ?, ?, ?, ?, ?, 'system:termini', ? WHERE EXISTS (SELECT 1 FROM deadlines WHERE id = ? AND status = 'open')`)
      .bind(eventId, lapseKey(d.id), instance.caseId, LAPSE_EVENT, d.dueAt, d.dueAtMs,
        JSON.stringify({ stage: d.stage, effect, citation: stage.consequence.citation }), at, d.id),
    db.update(deadlines).set({ status: "lapsed", outcome: effect, closedAtMs: d.dueAtMs, closedByEvent: eventId })
      .where(and(eq(deadlines.id, d.id), eq(deadlines.status, "open"))),
    // Reminders stop; the escalations still go out, saying what has happened.
    db.update(notifications).set({ status: "cancelled" })
      .where(and(eq(notifications.deadlineId, d.id), eq(notifications.status, "scheduled"), eq(notifications.kind, "reminder"), lapsedByThis)),
    ...closingBumps(def, d, "late", d.dueAtMs).map((b) => bumpWhileHeld(db, held, b, byThis)),
  ];
  for (const o of others) {
    stmts.push(
      db.update(deadlines).set({ status: "withdrawn", outcome: otherOutcome, closedAtMs: d.dueAtMs, closedByEvent: eventId })
        .where(and(eq(deadlines.id, o.id), eq(deadlines.status, "open"), lapsedByThis)),
      db.update(notifications).set({ status: "cancelled" })
        .where(and(eq(notifications.deadlineId, o.id), eq(notifications.status, "scheduled"), inArray(notifications.kind, ["reminder", "escalation", "roll", "lapse"]), lapsedByThis)),
    );
  }
  stmts.push(
    db.update(timelineInstances).set({ status: "closed", closedAt: at })
      .where(and(eq(timelineInstances.id, instance.id), eq(timelineInstances.status, "running"), lapsedByThis)),
    auditWhileHeld(db, held, {
      actor: "system:termini", action: "stage.lapsed", caseId: instance.caseId, requestId: null,
      detail: { deadline: d.id, stage: d.stage, effect, citation: stage.consequence.citation, dueAt: d.dueAt, ended: others.map((o) => o.id) },
    }, at, byThis),
  );
  if (outbound !== undefined) stmts.push(...(await lapseFacts(db, outbound, instance, d, others, effect, otherOutcome, lapsedByThis)));
  stmts.push(settle(db, held, { status: "sent", sentAtMs: at }));
  return (await commitHeld(db, stmts as Parameters<typeof commitHeld>[1])) ? "sent" : "already-done";
}

/** The lapsed deadline and the ones it ended, for the subscriptions that want them. */
async function lapseFacts(
  db: Db, outbound: { appBaseUrl: string; asOf: number }, instance: typeof timelineInstances.$inferSelect, d: Deadline, others: Deadline[],
  effect: string, otherOutcome: string, lapsedByThis: SQL,
): Promise<Stmt[]> {
  const dir = await directory(db);
  if (!dir.wants("deadline.closed")) return [];
  const c = await caseFactsOf(db, instance.caseId);
  const t = { id: instance.timeline, version: instance.version };
  const facts: OutboundFact[] = [
    deadlineFact(dir, outbound.appBaseUrl, "deadline.closed", `${d.id}:lapsed`, c, t, { ...d, status: "lapsed" }, { outcome: effect }),
    ...others.map((o) => deadlineFact(dir, outbound.appBaseUrl, "deadline.closed", `${o.id}:lapsed`, c, t, { ...o, status: "withdrawn" }, { outcome: otherOutcome })),
  ];
  // Written with the lapse, and taken back in the same batch if an act closed the stage first (the rows
  // are this lapse's own: their ids come from the deadline, so nothing else is ever removed).
  const ids = await Promise.all(facts.map((f) => eventId(`${f.kind}:${f.key}`)));
  return [
    ...(await outboundRows(db, dir, facts, outbound.asOf)).stmts,
    db.delete(outboundDeliveries).where(and(inArray(outboundDeliveries.eventId, ids), not(lapsedByThis))),
    db.delete(outboundEvents).where(and(inArray(outboundEvents.id, ids), not(lapsedByThis))),
  ];
}
