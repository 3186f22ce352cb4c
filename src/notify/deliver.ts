/**
 * Delivers one notification. The workflow and the cron sweep both call
 * this, as often as they like: the row is claimed atomically before
 * sending, and a sent, failed or cancelled row is never sent again.
 */
import { and, eq, gt, lt, lte, or } from "drizzle-orm";
import { auditInsert } from "../db/audit.js";
import type { Db } from "../db/client.js";
import { getOffice } from "../db/directory.js";
import { cases, deadlines, notifications, timelineInstances } from "../db/schema.js";
import { bumpStatement } from "../db/counters.js";
import { rollPeriod } from "../domain/roll-period.js";
import { draftPath } from "../stats/draft-link.js";
import { escalation } from "../stats/metrics.js";

const withBase = (base: string, path: string | undefined) => (path === undefined ? undefined : base + path);
import { displayTitle, getTimeline } from "../timelines/catalog.js";
import { rungsOf } from "../timelines/definition.js";
import { composeMessage, formatDue } from "./compose.js";
import type { Mailer } from "./mailer.js";

export interface DeliveryContext {
  db: Db;
  mailer: Mailer;
  from: string;
  appBaseUrl: string;
  /** system:workflow or system:cron, for the audit log. */
  actor: string;
  /** The deployment's quarter ends, for links to quarterly drafts. */
  quarterEnds: readonly string[];
  now: () => number;
}

export type DeliveryOutcome = "sent" | "failed" | "cancelled" | "superseded" | "already-done" | "not-due" | "in-flight";

/** A claim older than this belongs to a sender that died mid-send. */
export const STALE_CLAIM_MS = 2 * 60_000;

type Notification = typeof notifications.$inferSelect;

export async function deliver(ctx: DeliveryContext, id: string, asOf: number): Promise<DeliveryOutcome> {
  const { db } = ctx;
  const n = await db.select().from(notifications).where(eq(notifications.id, id)).get();
  if (n === undefined) throw new Error(`no notification ${id}`);
  if (n.status !== "scheduled" && n.status !== "sending") return "already-done";
  if (n.sendAtMs > asOf) return "not-due";
  const deadline = await db.select().from(deadlines).where(eq(deadlines.id, n.deadlineId)).get();
  if (deadline === undefined) throw new Error(`no deadline ${n.deadlineId}`);
  if (n.kind === "roll") {
    if (!(await claim(db, n, ctx.now()))) return "in-flight";
    return rollPeriod(db, deadline, n.id, ctx.now());
  }
  // Fallbacks and notices (a date changed, a deadline withdrawn) concern closed deadlines too, and
  // a period that lapsed by time (no closing event) still has its escalation to send.
  const lapsed = deadline.status === "late" && deadline.closedByEvent === null && n.kind === "escalation";
  if (deadline.status !== "open" && !lapsed && n.kind !== "fallback" && n.kind !== "notice") {
    await setStatus(db, n.id, "cancelled");
    return "cancelled";
  }
  if (n.kind === "reminder" && (asOf > deadline.dueAtMs || (await laterReminderDue(db, n, asOf)))) {
    // Only the most recent of several overdue reminders is worth sending, and
    // none once the deadline has passed: the escalations take over.
    await setStatus(db, n.id, "superseded");
    return "superseded";
  }
  if (!(await claim(db, n, ctx.now()))) return "in-flight";
  return send(ctx, n as Notification & { kind: "reminder" | "escalation" | "fallback" | "notice" }, deadline);
}

/** Takes the row for this sender: from scheduled, or from a sender that died mid-send. */
async function claim(db: Db, n: Notification, now: number): Promise<boolean> {
  const claimed = await db
    .update(notifications)
    .set({ status: "sending", attempts: n.attempts + 1, claimedAtMs: now })
    .where(and(eq(notifications.id, n.id), or(
      eq(notifications.status, "scheduled"),
      and(eq(notifications.status, "sending"), lt(notifications.claimedAtMs, now - STALE_CLAIM_MS)),
    )))
    .returning({ id: notifications.id })
    .all();
  return claimed.length > 0;
}

async function send(ctx: DeliveryContext, n: Notification & { kind: "reminder" | "escalation" | "fallback" | "notice" }, deadline: typeof deadlines.$inferSelect): Promise<DeliveryOutcome> {
  const { db } = ctx;
  const instance = (await db.select().from(timelineInstances).where(eq(timelineInstances.id, n.instanceId)).get())!;
  const c = (await db.select().from(cases).where(eq(cases.id, instance.caseId)).get())!;
  const def = getTimeline(instance.timeline, instance.version)!;
  const stage = def.stages.find((s) => s.id === deadline.stage)!;
  const responsible = (await getOffice(db, deadline.officeId))!;
  const recipient = (await getOffice(db, n.officeId))!;
  const message = composeMessage({
    kind: n.kind, rung: n.rung, caseRef: c.ref, timelineTitle: displayTitle(def), stageTitle: stage.title, basis: stage.basis,
    due: formatDue(deadline.dueAt), responsibleOffice: responsible.name, recipientOffice: recipient.name,
    link: `${ctx.appBaseUrl}/cases/${encodeURIComponent(c.ref)}`, failedOffice: recipient.name, notice: n.detail,
    text: rungsOf(def, stage).find((r) => r.id === n.rung)?.text,
    draft: def.report === undefined ? undefined : withBase(ctx.appBaseUrl, draftPath(def.report, c.ref, responsible, ctx.quarterEnds)),
  });
  const r = await ctx.mailer.send({ idempotencyKey: n.id, notificationId: n.id, from: ctx.from, to: n.recipients, ...message });
  const at = ctx.now();
  const detail = { notificationId: n.id, rung: n.rung, office: n.officeId, mailer: ctx.mailer.name, attempts: r.attempts };
  if (r.ok) {
    await db.batch([
      db.update(notifications).set({ status: "sent", sentAtMs: at, providerId: r.providerId }).where(eq(notifications.id, n.id)),
      auditInsert(db, { actor: ctx.actor, action: "notification.sent", caseId: c.id, detail, requestId: null }, at),
      // Escalations count for the report against the office whose deadline passed.
      ...(n.kind === "escalation" ? escalation(def.id, stage.id, deadline.officeId, at).map((b) => bumpStatement(db, b)) : []),
    ]);
    return "sent";
  }
  // Nothing is lost: the failure is recorded and the office's fallback address is told.
  const fallbackId = `${n.id}.fallback`;
  await db.batch([
    db.update(notifications).set({ status: "failed", lastError: r.error }).where(eq(notifications.id, n.id)),
    auditInsert(db, { actor: ctx.actor, action: "notification.failed", caseId: c.id, detail: { ...detail, error: r.error }, requestId: null }, at),
    ...(n.kind === "fallback" ? [] : [db.insert(notifications).values({
      id: fallbackId, deadlineId: n.deadlineId, instanceId: n.instanceId, rung: `${n.rung}/fallback`, kind: "fallback",
      officeId: n.officeId, recipients: [recipient.fallbackEmail], sendAtMs: at, status: "scheduled",
    }).onConflictDoNothing()]),
  ]);
  if (n.kind !== "fallback") await deliver(ctx, fallbackId, at);
  return "failed";
}

async function setStatus(db: Db, id: string, status: "cancelled" | "superseded"): Promise<void> {
  await db.update(notifications).set({ status })
    .where(and(eq(notifications.id, id), eq(notifications.status, "scheduled"))).run();
}

async function laterReminderDue(db: Db, n: Notification, asOf: number): Promise<boolean> {
  const later = await db.select({ id: notifications.id }).from(notifications).where(and(
    eq(notifications.deadlineId, n.deadlineId), eq(notifications.kind, "reminder"), eq(notifications.status, "scheduled"),
    gt(notifications.sendAtMs, n.sendAtMs), lte(notifications.sendAtMs, asOf),
  )).get();
  return later !== undefined;
}
