/**
 * The notification rows as senders use them: claimed with a fresh token
 * before a send, and every write that follows the send conditional on
 * still holding that token. A sender whose claim was taken over (it hung
 * past the stale limit) therefore never marks, audits or counts a message
 * a second time: its statements match no row.
 */
import { formatRomeInstant } from "../engine/rome.js";
import { and, asc, eq, gt, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { AuditEntry } from "./audit.js";
import type { Db } from "./client.js";
import type { BatchItem } from "drizzle-orm/batch";
import { type SentCopy, notifications, scheduleFailures, users, workflowFailures } from "./schema.js";
import type { Bump } from "../stats/metrics.js";

export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;

/** A row held by one sender: its id and the claim token. */
export interface Held {
  id: string;
  token: string;
}

/**
 * When the row is next worth looking at: its send time, its retry time, or
 * when a claim on it goes stale (`staleMs`: see staleClaimMs in notify/context.ts).
 */
export function attemptAt(n: Pick<Notification, "status" | "sendAtMs" | "retryAtMs" | "claimedAtMs">, staleMs: number): number {
  if (n.status === "sending") return (n.claimedAtMs ?? 0) + staleMs;
  return Math.max(n.sendAtMs, n.retryAtMs ?? 0);
}

/** The SQL form of "due for an attempt at `asOf`". */
function dueCondition(asOf: number, staleMs: number): SQL {
  return or(
    and(eq(notifications.status, "scheduled"), lte(notifications.sendAtMs, asOf),
      or(isNull(notifications.retryAtMs), lte(notifications.retryAtMs, asOf))),
    and(eq(notifications.status, "sending"), lt(notifications.claimedAtMs, asOf - staleMs)),
  )!;
}

export async function getNotification(db: Db, id: string): Promise<Notification | undefined> {
  return db.select().from(notifications).where(eq(notifications.id, id)).get();
}

/** Overdue rows, oldest first, for the sweep. */
export async function dueNotifications(db: Db, asOf: number, limit: number, staleMs: number) {
  // Two walks of notifications_due (status, send_at_ms), merged: scheduled rows due by now, and claims gone stale.
  const pick = { id: notifications.id, instanceId: notifications.instanceId, sendAtMs: notifications.sendAtMs };
  const [scheduled, stale] = await db.batch([
    db.select(pick).from(notifications)
      .where(and(eq(notifications.status, "scheduled"), lte(notifications.sendAtMs, asOf), or(isNull(notifications.retryAtMs), lte(notifications.retryAtMs, asOf))))
      .orderBy(asc(notifications.sendAtMs)).limit(limit),
    db.select(pick).from(notifications)
      .where(and(eq(notifications.status, "sending"), lt(notifications.claimedAtMs, asOf - staleMs)))
      .orderBy(asc(notifications.sendAtMs)).limit(limit),
  ]);
  return [...scheduled, ...stale].sort((a, b) => a.sendAtMs - b.sendAtMs).slice(0, limit).map(({ id, instanceId }) => ({ id, instanceId }));
}

/** Takes the row for this sender, from scheduled or from a sender that died; the token, or null if another holds it. */
export async function claim(db: Db, id: string, now: number, staleMs: number): Promise<Held | null> {
  const token = crypto.randomUUID();
  const taken = await db.update(notifications)
    .set({ status: "sending", attempts: sql`${notifications.attempts} + 1`, claimedAtMs: now, claim: token })
    .where(and(eq(notifications.id, id), dueCondition(now, staleMs)))
    .returning({ id: notifications.id }).all();
  return taken.length > 0 ? { id, token } : null;
}

/**
 * The statements that follow a send are plain D1 statements, run as one
 * batch (one transaction): each is conditional on the claim, which Drizzle's
 * builders cannot say ("insert … select … where exists").
 */
export type Conditional = D1PreparedStatement;

/** "The row is still ours": held while sending, and still ours once we marked it sent. */
const HOLDS = "EXISTS (SELECT 1 FROM notifications WHERE id = ? AND claim = ? AND status IN ('sending', 'sent'))";

/** A further condition a held write needs (SQL and its values), e.g. that the deadline it is about is in a given state. */
export interface Also { sql: string; binds: unknown[] }
const NONE: Also = { sql: "1", binds: [] };

export function auditWhileHeld(db: Db, h: Held, e: AuditEntry, at: number, also: Also = NONE): Conditional {
  return db.$client.prepare(`INSERT INTO audit_log (at, actor, action, case_id, detail, request_id, reason) SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${HOLDS} AND ${also.sql}`)
    .bind(at, e.actor, e.action, e.caseId, JSON.stringify(e.detail), e.requestId, e.reason ?? null, h.id, h.token, ...also.binds);
}

export function bumpWhileHeld(db: Db, h: Held, b: Bump, also: Also = NONE): Conditional {
  return db.$client.prepare(`INSERT INTO stat_counters (month, office_id, metric, value) SELECT ?, ?, ?, ? WHERE ${HOLDS} AND ${also.sql}
    ON CONFLICT (month, office_id, metric) DO UPDATE SET value = value + excluded.value`)
    .bind(b.month, b.officeId, b.metric, b.by, h.id, h.token, ...also.binds);
}

/** A follow-up message (fallback, alert), once per row and rung. */
export function notificationWhileHeld(db: Db, h: Held, n: NewNotification): Conditional {
  return db.$client.prepare(`INSERT INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status, detail)
    SELECT ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', ? WHERE ${HOLDS} ON CONFLICT DO NOTHING`)
    .bind(n.id, n.deadlineId, n.instanceId, n.rung, n.kind, n.officeId, JSON.stringify(n.recipients), n.sendAtMs,
      n.detail === undefined || n.detail === null ? null : JSON.stringify(n.detail), h.id, h.token);
}

/** A digest's member goes out with it: marked sent in the digest's own batch, while the digest is held. */
export function memberSentWhileHeld(db: Db, h: Held, memberId: string, at: number, providerId: string | null): Conditional {
  return db.$client.prepare(`UPDATE notifications SET status = 'sent', sent_at_ms = ?, provider_id = ?
    WHERE id = ? AND status = 'digested' AND digest_id = ? AND ${HOLDS}`)
    .bind(at, providerId, memberId, h.id, h.id, h.token);
}

/** The row's own state after a send: written last, and only by the claim's holder. */
export function settle(db: Db, h: Held, set: {
  status: "sent" | "scheduled" | "failed" | "cancelled"; sentAtMs?: number; providerId?: string | null;
  retryAtMs?: number | null; firstFailedAtMs?: number; lastError?: string; releaseClaim?: boolean; copy?: SentCopy;
}): Conditional {
  return db.$client.prepare(`UPDATE notifications SET status = ?, sent_at_ms = COALESCE(?, sent_at_ms), provider_id = COALESCE(?, provider_id),
      retry_at_ms = ?, first_failed_at_ms = COALESCE(?, first_failed_at_ms), last_error = COALESCE(?, last_error),
      claim = CASE WHEN ? THEN NULL ELSE claim END, sent_copy = COALESCE(?, sent_copy)
    WHERE id = ? AND status = 'sending' AND claim = ?`)
    .bind(set.status, set.sentAtMs ?? null, set.providerId ?? null, set.retryAtMs ?? null, set.firstFailedAtMs ?? null, set.lastError ?? null,
      set.releaseClaim === true ? 1 : 0, set.copy === undefined ? null : JSON.stringify(set.copy), h.id, h.token);
}

/** A D1 statement from a Drizzle builder (every one a batch takes renders its SQL and parameters), or the statement itself. */
export function prepared(db: Db, s: Conditional | BatchItem<"sqlite">): Conditional {
  if (!("toSQL" in s)) return s as Conditional;
  const q = (s as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
  return db.$client.prepare(q.sql).bind(...q.params);
}

/**
 * Runs the statements after a send as one transaction, Drizzle's and the
 * conditional ones alike; true when the last (the row's settle) took effect.
 */
export async function commitHeld(db: Db, stmts: readonly (Conditional | BatchItem<"sqlite">)[]): Promise<boolean> {
  const results = await db.$client.batch(stmts.map((s) => prepared(db, s)));
  return (results[results.length - 1]?.meta.changes ?? 0) > 0;
}

export async function setStatusIfScheduled(db: Db, id: string, status: "cancelled" | "superseded"): Promise<void> {
  await db.update(notifications).set({ status }).where(and(eq(notifications.id, id), eq(notifications.status, "scheduled"))).run();
}

/** A later reminder of the same deadline is also due: only the most recent is worth sending. */
export async function laterReminderDue(db: Db, n: Notification, asOf: number): Promise<boolean> {
  const later = await db.select({ id: notifications.id }).from(notifications).where(and(
    eq(notifications.deadlineId, n.deadlineId), eq(notifications.kind, "reminder"), eq(notifications.status, "scheduled"),
    gt(notifications.sendAtMs, n.sendAtMs), lte(notifications.sendAtMs, asOf),
  )).get();
  return later !== undefined;
}

/** The administrators' addresses, for delivery alerts. */
export async function adminEmails(db: Db): Promise<string[]> {
  const rows = await db.select({ email: users.email }).from(users).where(and(eq(users.role, "admin"), isNull(users.disabledAt))).all();
  return rows.map((r) => r.email);
}

/**
 * What administrators watch: messages waiting for a retry (and the oldest
 * first failure among them), messages given up, and obligations the
 * scheduler could not open.
 */
export interface DeliveryCounts {
  retrying: number;
  failingSinceMs: number | null;
  failed: number;
  obligationsNotOpened: number;
  workflowsNotRunning: number;
}

/** One database's delivery state, for the administrators' summary. */
export async function deliveryCounts(db: Db): Promise<DeliveryCounts> {
  const [retrying, failed, obligations, workflows] = await db.batch([
    db.select({ n: sql<number>`count(*)`, since: sql<number | null>`min(${notifications.firstFailedAtMs})` }).from(notifications)
      .where(and(eq(notifications.status, "scheduled"), gt(notifications.attempts, 0))),
    db.select({ n: sql<number>`count(*)` }).from(notifications).where(eq(notifications.status, "failed")),
    db.select({ n: sql<number>`count(*)` }).from(scheduleFailures),
    db.select({ n: sql<number>`count(*)` }).from(workflowFailures),
  ]);
  return {
    retrying: retrying[0]?.n ?? 0,
    failingSinceMs: retrying[0]?.since ?? null,
    failed: failed[0]?.n ?? 0,
    obligationsNotOpened: obligations[0]?.n ?? 0,
    workflowsNotRunning: workflows[0]?.n ?? 0,
  };
}

/** Several databases' states as one: counts added, the earliest failure kept. */
export function deliverySummary(parts: readonly DeliveryCounts[]) {
  const since = parts.map((p) => p.failingSinceMs).filter((x): x is number => x !== null);
  const sum = (k: "retrying" | "failed" | "obligationsNotOpened" | "workflowsNotRunning") => parts.reduce((n, p) => n + p[k], 0);
  return {
    retrying: sum("retrying"),
    failingSince: since.length === 0 ? null : formatRomeInstant(Math.min(...since)),
    failed: sum("failed"),
    obligationsNotOpened: sum("obligationsNotOpened"),
    workflowsNotRunning: sum("workflowsNotRunning"),
  };
}
