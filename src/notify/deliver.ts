/**
 * Delivers one notification. The workflow and the cron sweep both call
 * this, as often as they like:
 * - the row is claimed with a fresh token before sending, so two senders
 *   never send it at the same time;
 * - every write after the send (the row, the audit entry, the report
 *   counters, the follow-up messages) is one batch conditional on still
 *   holding the claim, so a message is marked and counted once;
 * - a failed attempt leaves the row due again later (see retry.ts), never
 *   dropped; the id is the provider's idempotency key on every attempt.
 */
import { messageReason } from "../domain/access/access-reason.js";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { type SentCopy, cases, deadlines, timelineInstances } from "../db/schema.js";
import {
  type Conditional, type Held, type Notification, adminEmails, attemptAt, auditWhileHeld, bumpWhileHeld, claim, commitHeld, getNotification,
  laterReminderDue, memberSentWhileHeld, notificationWhileHeld, setStatusIfScheduled, settle,
} from "../db/delivery.js";
import { digestMembers, dropMember, gatherDigest } from "../db/digest.js";
import { type Directory, directory } from "../db/directory.js";
import { rollPeriod } from "../domain/stages/roll-period.js";
import { lapseStage } from "../domain/stages/lapse-stage.js";
import type { Stmt } from "../domain/events/changes.js";
import { caseFactsOf, deadlineFact, outboundRows } from "../domain/subscriptions/outbound.js";
import { webCasePath } from "../lib/case-link.js";
import { draftPath } from "../stats/draft-link.js";
import { escalation } from "../stats/metrics.js";
import { displayTitle, getTimeline } from "../timelines/catalog.js";
import { rungsOf } from "../timelines/definition.js";
import { type MessageFacts, composeDigest, composeMessage, formatDue } from "./compose.js";
import type { Mailer, SendResult } from "./mailer.js";
import { type RetryPolicy, afterFailure } from "./retry.js";

export interface DeliveryContext {
  db: Db;
  mailer: Mailer;
  from: string;
  appBaseUrl: string;
  /** system:workflow or system:cron, for the audit log. */
  actor: string;
  now: () => number;
  retry: RetryPolicy;
  /** When a claim is taken to belong to a dead sender (see staleClaimMs). */
  staleMs: number;
  /** The administration every message's header names (ADMINISTRATION_NAME); absent in tests that build a context by hand. */
  administration?: string;
}

/** retrying: the attempt failed and the row is due again later; failed: no attempt will follow. */
export type DeliveryOutcome = "sent" | "retrying" | "failed" | "cancelled" | "superseded" | "already-done" | "not-due" | "in-flight";

type Deadline = typeof deadlines.$inferSelect;
type Message = Notification & { kind: "reminder" | "escalation" | "fallback" | "alert" | "notice" };

/** Messages that concern a deadline whatever its state: they are never cancelled by its closing. */
const STANDING = new Set(["fallback", "alert", "notice"]);

export async function deliver(ctx: DeliveryContext, id: string, asOf: number): Promise<DeliveryOutcome> {
  const { db } = ctx;
  const n = await getNotification(db, id);
  if (n === undefined) throw new Error(`no notification ${id}`);
  if (n.status !== "scheduled" && n.status !== "sending") return "already-done";
  if (attemptAt(n, ctx.staleMs) > asOf) return "not-due";
  const deadline = await db.select().from(deadlines).where(eq(deadlines.id, n.deadlineId)).get();
  if (deadline === undefined) throw new Error(`no deadline ${n.deadlineId}`);
  if (n.kind === "roll") {
    const held = await claim(db, n.id, ctx.now(), ctx.staleMs);
    return held === null ? "in-flight" : rollPeriod(db, deadline, held, ctx.now(), { appBaseUrl: ctx.appBaseUrl, asOf });
  }
  if (n.kind === "lapse") {
    const held = await claim(db, n.id, ctx.now(), ctx.staleMs);
    return held === null ? "in-flight" : lapseStage(db, deadline, held, ctx.now(), { appBaseUrl: ctx.appBaseUrl, asOf });
  }
  if (n.kind === "digest") return deliverDigest(ctx, n, asOf);
  const moot = await mootness(db, n, deadline, asOf);
  if (moot !== undefined) {
    await setStatusIfScheduled(db, n.id, moot);
    return moot;
  }
  // Several messages due for the office at once (the 08:00 reminders): one email, the digest, carries them all.
  if (n.kind === "reminder" || n.kind === "escalation") {
    const digest = await gatherDigest(db, n, asOf);
    if (digest !== undefined) return deliver(ctx, digest, asOf);
  }
  const held = await claim(db, n.id, ctx.now(), ctx.staleMs);
  if (held === null) return "in-flight";
  const dir = await directory(db);
  const facts = await messageFacts(ctx, dir, n as Message, deadline, asOf);
  const failing = n.detail?.notice === "delivery-failing" ? n.detail : undefined;
  // The fallback of a digest that keeps failing carries the whole digest, not its first case.
  const content = n.kind === "fallback" && failing?.rung.endsWith("/digest") === true
    ? composeDigest(facts.message.failedOffice ?? facts.message.recipientOffice, await digestFacts(ctx, dir, n.id.replace(/\.fallback$/, "")), failing)
    : composeMessage(facts.message);
  const r = await ctx.mailer.send({ idempotencyKey: n.id, notificationId: n.id, from: ctx.from, to: n.recipients, ...content });
  return record(ctx, n as Message, held, r, facts, content);
}

/** Every message a digest was gathered with, whatever became of it since: the same list on every attempt. */
async function digestFacts(ctx: DeliveryContext, dir: Directory, digestId: string): Promise<MessageFacts[]> {
  const members = await digestMembers(ctx.db, digestId, true);
  return Promise.all(members.map(async ({ m, deadline }) => (await messageFacts(ctx, dir, m as Message, deadline)).message));
}

/** Why a message no longer needs sending, if it does not. */
async function mootness(db: Db, n: Notification, deadline: Deadline, asOf: number): Promise<"cancelled" | "superseded" | undefined> {
  // A period that lapsed by time (no closing event) still has its escalation to send.
  // So does a stage whose measure lapsed: its escalations say so.
  const lapsed = ((deadline.status === "late" && deadline.closedByEvent === null) || deadline.status === "lapsed") && n.kind === "escalation";
  if (deadline.status !== "open" && !lapsed && !STANDING.has(n.kind)) return "cancelled";
  // Only the most recent of several overdue reminders is worth sending, and
  // none once the deadline has passed (a failing one included): the escalations take over.
  if (n.kind === "reminder" && (asOf > deadline.dueAtMs || (await laterReminderDue(db, n, asOf)))) return "superseded";
  return undefined;
}

/**
 * A digest: its members that still need saying, in one email under the
 * digest's own id; they are marked sent in the same batch as the digest.
 * A failed attempt retries and alerts like any message, members waiting.
 */
async function deliverDigest(ctx: DeliveryContext, n: Notification, asOf: number): Promise<DeliveryOutcome> {
  const { db } = ctx;
  const live: { m: Message; deadline: Deadline }[] = [];
  for (const { m, deadline } of await digestMembers(db, n.id)) {
    const moot = await mootness(db, m, deadline, asOf);
    if (moot === undefined) live.push({ m: m as Message, deadline });
    else await dropMember(db, m.id, moot);
  }
  if (live.length === 0) {
    await setStatusIfScheduled(db, n.id, "cancelled");
    return "cancelled";
  }
  const held = await claim(db, n.id, ctx.now(), ctx.staleMs);
  if (held === null) return "in-flight";
  const dir = await directory(db);
  const facts = await Promise.all(live.map(({ m, deadline }) => messageFacts(ctx, dir, m, deadline, asOf)));
  const office = facts[0]!.message.recipientOffice;
  const content = composeDigest(office, facts.map((f) => f.message));
  const r = await ctx.mailer.send({ idempotencyKey: n.id, notificationId: n.id, from: ctx.from, to: n.recipients, ...content });
  const at = ctx.now();
  const members = (providerId: string | null) => live.flatMap(({ m }, i) => [
    auditWhileHeld(db, held, {
      actor: ctx.actor, action: "notification.sent", caseId: facts[i]!.caseId, requestId: null, reason: messageReason(m.kind),
      detail: { notificationId: m.id, rung: m.rung, office: m.officeId, digest: n.id, recipients: n.recipients },
    }, at),
    ...(m.kind === "escalation" ? escalation(facts[i]!.timeline, facts[i]!.stage, facts[i]!.responsibleId, at).map((b) => bumpWhileHeld(db, held, b)) : []),
    memberSentWhileHeld(db, held, m.id, at, providerId),
  ]);
  return record(ctx, n as Message, held, r, facts[0]!, content, members, facts.flatMap((f) => f.outbound));
}

interface Facts {
  message: MessageFacts;
  caseId: string;
  timeline: string;
  stage: string;
  /** The office whose deadline it is (escalations count against it). */
  responsibleId: string;
  fallbackEmail: string;
  /** deadline.reminder or deadline.escalated for the subscriptions that want it (written with the attempt). */
  outbound: Stmt[];
}

/**
 * `asOf`: the instant the message is delivered for, when its outbound event
 * is wanted too (due then, so that the workflow's next round, planned for
 * the same instant, delivers it).
 */
async function messageFacts(ctx: DeliveryContext, dir: Directory, n: Message, deadline: Deadline, asOf?: number): Promise<Facts> {
  const { db } = ctx;
  const instance = (await db.select().from(timelineInstances).where(eq(timelineInstances.id, n.instanceId)).get())!;
  const c = (await db.select().from(cases).where(eq(cases.id, instance.caseId)).get())!;
  const def = getTimeline(instance.timeline, instance.version)!;
  const stage = def.stages.find((s) => s.id === deadline.stage)!;
  const [responsible, recipient] = [dir.get(deadline.officeId), dir.get(n.officeId)];
  const draft = def.report === undefined ? undefined : draftPath(def.report, c.ref, responsible!);
  const kind = n.kind === "reminder" ? "deadline.reminder" : n.kind === "escalation" ? "deadline.escalated" : undefined;
  const outbound = kind === undefined || asOf === undefined || !dir.wants(kind) ? [] : (await outboundRows(db, dir, [deadlineFact(
    dir, ctx.appBaseUrl, kind, n.id, await caseFactsOf(db, c.id),
    { id: def.id, version: def.version }, deadline, kind === "deadline.reminder" ? { reminder: { rung: n.rung, office: n.officeId } } : { escalation: { rung: n.rung, office: n.officeId } },
    [n.officeId],
  )], asOf)).stmts;
  return {
    outbound, caseId: c.id, timeline: def.id, stage: stage.id, responsibleId: deadline.officeId, fallbackEmail: recipient!.fallbackEmail,
    message: {
      kind: n.kind, rung: n.rung, caseRef: c.ref, timelineTitle: displayTitle(def), stageTitle: stage.title, basis: stage.basis,
      due: formatDue(deadline.dueAt), responsibleOffice: responsible!.name, recipientOffice: recipient!.name,
      link: ctx.appBaseUrl + webCasePath(c.ref, c.ownerOfficeId), failedOffice: recipient!.name, notice: n.detail,
      text: rungsOf(def, stage).find((r) => r.id === n.rung)?.text, consequence: stage.consequence,
      draft: draft === undefined ? undefined : ctx.appBaseUrl + draft, administration: ctx.administration,
    },
  };
}

/** The attempt's outcome, written in one batch that takes effect only while the claim is still ours. */
async function record(
  ctx: DeliveryContext, n: Message, held: Held, r: SendResult, facts: Facts, copy: SentCopy, withSent: (providerId: string | null) => Conditional[] = () => [],
  outbound: Stmt[] = facts.outbound,
): Promise<DeliveryOutcome> {
  const { db } = ctx;
  const at = ctx.now();
  const attempts = n.attempts + 1;
  const detail = { notificationId: n.id, rung: n.rung, office: n.officeId, mailer: ctx.mailer.name, attempts };
  if (r.ok) {
    const took = await commitHeld(db, [
      // A disclosure: to whom (the addresses), about which case, which message, and why.
      auditWhileHeld(db, held, { actor: ctx.actor, action: "notification.sent", caseId: facts.caseId, detail: { ...detail, recipients: n.recipients }, requestId: null, reason: messageReason(n.kind) }, at),
      // Escalations count for the report against the office whose deadline passed.
      ...(n.kind === "escalation" ? escalation(facts.timeline, facts.stage, facts.responsibleId, at).map((b) => bumpWhileHeld(db, held, b)) : []),
      ...withSent(r.providerId),
      ...outbound,
      // The message exactly as it went out: what an administrator opens from the outbox.
      settle(db, held, { status: "sent", sentAtMs: at, providerId: r.providerId, retryAtMs: null, copy }),
    ]);
    return took ? "sent" : "already-done";
  }
  const firstFailedAt = n.firstFailedAtMs ?? at;
  const next = afterFailure(ctx.retry, r, attempts, firstFailedAt, at);
  const failing = { notice: "delivery-failing" as const, rung: n.rung, error: r.error, attempts, since: firstFailedAt, retryUntil: next.retryAt === null ? null : firstFailedAt + ctx.retry.windowMs };
  const followUps = next.alert && n.kind !== "fallback" && n.kind !== "alert" ? await alerts(db, n, failing, facts.fallbackEmail, at) : [];
  const took = await commitHeld(db, [
    ...followUps.map((f) => notificationWhileHeld(db, held, f)),
    // Endpoints hear of the reminder whatever became of the email.
    ...outbound,
    ...(next.retryAt === null
      ? [auditWhileHeld(db, held, { actor: ctx.actor, action: "notification.failed", caseId: facts.caseId, detail: { ...detail, error: r.error }, requestId: null }, at)]
      : []),
    settle(db, held, {
      status: next.retryAt === null ? "failed" : "scheduled", retryAtMs: next.retryAt, firstFailedAtMs: firstFailedAt, lastError: r.error, releaseClaim: true,
    }),
  ]);
  if (!took) return "already-done";
  console.error(JSON.stringify({ level: "warn", action: "notification.delivery-failed", notificationId: n.id, error: r.error, attempts, retryAt: next.retryAt }));
  return next.retryAt === null ? "failed" : "retrying";
}

/** The office's fallback address and the administrators hear that a message is still failing (once each). */
async function alerts(db: Db, n: Message, failing: Extract<Message["detail"], { notice: "delivery-failing" }>, fallbackEmail: string, at: number) {
  const base = { deadlineId: n.deadlineId, instanceId: n.instanceId, officeId: n.officeId, sendAtMs: at, status: "scheduled" as const, detail: failing };
  const admins = await adminEmails(db);
  return [
    { ...base, id: `${n.id}.fallback`, rung: `${n.rung}/fallback`, kind: "fallback" as const, recipients: [fallbackEmail] },
    ...(admins.length === 0 ? [] : [{ ...base, id: `${n.id}.alert`, rung: `${n.rung}/alert`, kind: "alert" as const, recipients: admins }]),
  ];
}
