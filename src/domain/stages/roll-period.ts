/**
 * A rolling stage's period has ended: open the next one (attendance weeks
 * run back to back until the programme ends). Runs inside a workflow step
 * or the sweep; deterministic ids make a repeat insert nothing.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { eventsRecorded, officesOfCase } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import { type Directory, directory } from "../../db/directory.js";
import type { Instance } from "../../db/cases.js";
import { type OutboundFact, caseFactsOf, deadlineFact, outboundRows } from "../subscriptions/outbound.js";
import { deadlines, notifications, timelineInstances } from "../../db/schema.js";
import { getTimeline } from "../../timelines/catalog.js";
import type { Stmt } from "../events/changes.js";
import { type NewDeadline, nextPeriodStart, openStage } from "./open-stage.js";
import { closingBumps } from "../reports/counts.js";
import { type Conditional, type Held, bumpWhileHeld, commitHeld, settle } from "../../db/delivery.js";

type Deadline = typeof deadlines.$inferSelect;

export async function rollPeriod(db: Db, d: Deadline, held: Held, at: number, outbound?: { appBaseUrl: string; asOf: number }): Promise<"sent" | "cancelled" | "already-done"> {
  const instance = (await db.select().from(timelineInstances).where(eq(timelineInstances.id, d.instanceId)).get())!;
  if (instance.status !== "running") {
    await settle(db, held, { status: "cancelled" }).run();
    return "cancelled";
  }
  const def = getTimeline(instance.timeline, instance.version)!;
  const stage = def.stages.find((s) => s.id === d.stage)!;
  const dir = await directory(db);
  const office = dir.get(d.officeId)!;
  const start = nextPeriodStart(stage, d.dueAtMs);
  const next = await openStage(db, dir, def, stage, d.instanceId, office, {
    eventId: d.startedByEvent, occurredAtMs: start, onCase: await officesOfCase(db, instance.caseId),
  }, d.seq + 1);
  const stmts: (Stmt | Conditional)[] = [];
  if (d.status === "open") {
    // The period ended short of its quota: it lapses (its anomaly rung still goes out).
    stmts.push(db.update(deadlines).set({ status: "late", outcome: stage.quota?.missed ?? null, closedAtMs: start })
      .where(and(eq(deadlines.id, d.id), eq(deadlines.status, "open"))));
    // Counted only while the roll is ours: a roller that hung and lost its claim adds nothing.
    stmts.push(...closingBumps(def, d, "late", start).map((b) => bumpWhileHeld(db, held, b)));
  }
  stmts.push(
    db.insert(deadlines).values(next.deadline).onConflictDoNothing(),
    ...(next.notifications.length > 0 ? [db.insert(notifications).values(next.notifications).onConflictDoNothing()] : []),
  );
  // Attestations may have arrived before the period existed: count them now.
  let metAtOpen: { outcome: string; by: string } | null = null;
  if (stage.quota !== undefined) {
    const seen = await eventsRecorded(db, instance.caseId, stage.quota.event, start, next.deadline.dueAtMs);
    if (seen.length >= stage.quota.count) {
      stmts.push(...meet(db, next.deadline.id, stage.quota.met, at));
      stmts.push(...closingBumps(def, { ...d, startedAtMs: start }, "met", at).map((b) => bumpWhileHeld(db, held, b)));
      // Told as the attestation that reached the quota would tell it, under the same key: if that
      // attestation met the period itself (a roller that hung, another that opened the period
      // first), the subscriber still hears of it once.
      metAtOpen = { outcome: stage.quota.met, by: seen[stage.quota.count - 1]! };
    }
  }
  stmts.push(...(await rollFacts(db, dir, outbound, instance, d, next.deadline, stage.quota?.missed ?? null, metAtOpen)));
  stmts.push(settle(db, held, { status: "sent", sentAtMs: at }));
  return (await commitHeld(db, stmts as Parameters<typeof commitHeld>[1])) ? "sent" : "already-done";
}

/**
 * The next period opened, and the one that lapsed closed, for the subscriptions that want them; a
 * next period its attestations already meet is told closed too, or a subscriber would keep it open.
 */
async function rollFacts(
  db: Db, dir: Directory, outbound: { appBaseUrl: string; asOf: number } | undefined, instance: Instance, d: Deadline, next: NewDeadline,
  missed: string | null, metAtOpen: { outcome: string; by: string } | null,
) {
  if (outbound === undefined || (!dir.wants("deadline.opened") && !dir.wants("deadline.closed"))) return [];
  const { appBaseUrl, asOf } = outbound;
  const c = await caseFactsOf(db, instance.caseId);
  const t = { id: instance.timeline, version: instance.version };
  // In the order they happen (a subscriber reads the sequence): the period ends, the next opens, and may be met at once.
  const facts: OutboundFact[] = [];
  if (d.status === "open") {
    facts.push(deadlineFact(dir, appBaseUrl, "deadline.closed", `${d.id}:lapsed`, c, t, { ...d, status: "late" }, { outcome: missed }));
  }
  const opened = { ...next, dueDate: next.dueDate ?? null };
  facts.push(deadlineFact(dir, appBaseUrl, "deadline.opened", next.id, c, t, { ...opened, status: next.status }, {}));
  if (metAtOpen !== null) {
    facts.push(deadlineFact(dir, appBaseUrl, "deadline.closed", `${next.id}:${metAtOpen.by}`, c, t, { ...opened, status: "met" }, { outcome: metAtOpen.outcome }));
  }
  return (await outboundRows(db, dir, facts, asOf)).stmts;
}

/** A period whose quota is reached: met, and its anomaly rungs stand down. */
export function meet(db: Db, deadlineId: string, outcome: string, at: number, eventId: string | null = null, wasShort = false): Stmt[] {
  // A period that had ended short (late, closed by no event) is met by an act recorded later with its date.
  const still = wasShort ? and(eq(deadlines.status, "late"), isNull(deadlines.closedByEvent)) : eq(deadlines.status, "open");
  return [
    db.update(deadlines).set({ status: "met", outcome, closedAtMs: at, closedByEvent: eventId })
      .where(and(eq(deadlines.id, deadlineId), still)),
    db.update(notifications).set({ status: "cancelled" })
      .where(and(eq(notifications.deadlineId, deadlineId), eq(notifications.status, "scheduled"), inArray(notifications.kind, ["reminder", "escalation"]))),
  ];
}
