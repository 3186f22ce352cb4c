/**
 * Outbound deliveries as senders use them: claimed with a fresh token
 * before an attempt, at most `parallelism` in flight per subscription, and
 * every write after the attempt conditional on still holding the claim —
 * so a sender that hung and lost its claim records nothing twice.
 */
import { and, asc, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { type Db, boundGroups } from "./client.js";
import { outboundAttempts, outboundDeliveries, outboundEvents, qstashReceipts, subscriptions } from "./schema.js";

export type Delivery = typeof outboundDeliveries.$inferSelect;

export interface HeldDelivery {
  id: string;
  token: string;
  eventId: string;
  subscriptionId: string;
  /** This attempt's number. */
  attempts: number;
  firstFailedAt: number | null;
  /** The last QStash message made of it: a new publication must not reuse its deduplication id. */
  messageId: string | null;
  body: string | null;
  /** The event's type (its routing header). */
  kind: string;
}

/**
 * An outbound event's row, its `sequence` one more than its subject's last (the body's placeholder
 * replaced in place): in the writer's batch, so two events about one case never share a number.
 * A row already there (a repeated step) is left as it was.
 */
export function eventInsert(db: Db, e: { id: string; kind: string; body: string }, caseId: string | null, subject: string | null, at: number) {
  const next = sql`(SELECT COALESCE(MAX(${outboundEvents.seq}), 0) + 1 FROM ${outboundEvents} WHERE ${outboundEvents.subject} = ${subject})`;
  return db.insert(outboundEvents).values({
    id: e.id, kind: e.kind, caseId, subject, createdAt: at,
    seq: subject === null ? null : next, body: subject === null ? e.body : sql`json_set(${e.body}, '$.sequence', ${next})`,
  }).onConflictDoNothing();
}

/** When the row is next worth looking at: its due time, or when a claim on it goes stale. */
export function deliveryAttemptAt(d: Pick<Delivery, "status" | "dueAt" | "claimedAt">, staleMs: number): number {
  return d.status === "sending" ? (d.claimedAt ?? 0) + staleMs : d.dueAt;
}

export async function getDelivery(db: Db, id: string): Promise<Delivery | undefined> {
  return db.select().from(outboundDeliveries).where(eq(outboundDeliveries.id, id)).get();
}

/** What a claim returns: the held row, with its event's body (one statement, no second read). */
type ClaimedRow = {
  id: string; event_id: string; subscription_id: string; attempts: number; first_failed_at: number | null; message_id: string | null; body: string | null; kind: string | null;
};

const CLAIM_RETURNING = `RETURNING id, event_id, subscription_id, attempts, first_failed_at, message_id,
      (SELECT body FROM outbound_events e WHERE e.id = outbound_deliveries.event_id) AS body,
      (SELECT kind FROM outbound_events e WHERE e.id = outbound_deliveries.event_id) AS kind`;
const CLAIM_DUE = `((status = 'pending' AND due_at <= ?2) OR (status = 'sending' AND claimed_at < ?2 - ?3))`;

function held(token: string, r: ClaimedRow): HeldDelivery {
  return { id: r.id, token, eventId: r.event_id, subscriptionId: r.subscription_id, attempts: r.attempts, firstFailedAt: r.first_failed_at, messageId: r.message_id, body: r.body, kind: r.kind ?? "" };
}

/**
 * Takes the row if it is due and its subscription has fewer than its
 * parallelism in flight (unless `unlimited`: QStash's flow control keeps
 * it then); null otherwise. One statement, so two senders never both take
 * the last free place.
 */
export async function claimDelivery(db: Db, id: string, now: number, staleMs: number, unlimited: boolean): Promise<HeldDelivery | null> {
  const token = crypto.randomUUID();
  const row = await db.$client.prepare(`UPDATE outbound_deliveries SET status = 'sending', claim = ?1, claimed_at = ?2, attempts = attempts + 1
    WHERE id = ?4 AND ${CLAIM_DUE}
      AND (?5 OR (SELECT count(*) FROM outbound_deliveries x WHERE x.subscription_id = outbound_deliveries.subscription_id
           AND x.status = 'sending' AND x.claimed_at >= ?2 - ?3)
         < COALESCE((SELECT parallelism FROM subscriptions s WHERE s.id = outbound_deliveries.subscription_id), 1))
    ${CLAIM_RETURNING}`)
    .bind(token, now, staleMs, id, unlimited ? 1 : 0)
    .first<ClaimedRow>();
  return row === null ? null : held(token, row);
}

/** Takes every one of these rows that is due, in one statement per 90 (publishing to QStash: no parallelism here). */
export async function claimMany(db: Db, ids: readonly string[], now: number, staleMs: number): Promise<HeldDelivery[]> {
  const token = crypto.randomUUID();
  const stmts = boundGroups(ids).map((group) => db.$client.prepare(`UPDATE outbound_deliveries SET status = 'sending', claim = ?1, claimed_at = ?2, attempts = attempts + 1
      WHERE id IN (${group.map((_, j) => `?${j + 4}`).join(", ")}) AND ${CLAIM_DUE} ${CLAIM_RETURNING}`).bind(token, now, staleMs, ...group));
  if (stmts.length === 0) return [];
  const results = await db.$client.batch<ClaimedRow>(stmts);
  return results.flatMap((r) => r.results.map((row) => held(token, row)));
}

export interface AttemptRecord {
  via: "direct" | "qstash" | "test";
  status: number | null;
  durationMs: number | null;
  error: string | null;
  /** The start of the endpoint's answer. */
  response?: string | null;
}

/**
 * The audit log's disclosure row for a payload an endpoint took: which event, to which subscription
 * and address, about which case (through its event: a delivery written while its subscription was off has no timeline), and why. With `held`, written only
 * while the claim is ours (the direct path's batch); through the relay, once per taken post.
 */
export function disclosureInsert(db: Db, d: { id: string; eventId: string }, sub: { id: string; url: string; officeId: string | null }, reason: string, at: number, held?: HeldDelivery) {
  const detail = JSON.stringify({ delivery: d.id, event: d.eventId, subscription: sub.id, endpoint: sub.url, office: sub.officeId });
  return db.$client.prepare(`INSERT INTO audit_log (at, actor, action, case_id, detail, request_id, reason)
    SELECT ?, 'system:outbound', 'outbound.delivered', (SELECT e.case_id FROM outbound_deliveries o JOIN outbound_events e ON e.id = o.event_id WHERE o.id = ?), ?, NULL, ?
    WHERE ? IS NULL OR EXISTS (SELECT 1 FROM outbound_deliveries WHERE id = ? AND status = 'sending' AND claim = ?)`)
    .bind(at, d.id, detail, reason, held?.token ?? null, d.id, held?.token ?? null);
}

/** The attempt's log line, written whatever became of the claim (it did happen). */
export function attemptInsert(db: Db, deliveryId: string, at: number, a: AttemptRecord) {
  return db.insert(outboundAttempts).values({ deliveryId, at, ...a });
}

/** The row after an attempt, only while the claim is ours; last in its batch (commitHeld reads its effect). */
export function settleDelivery(db: Db, h: HeldDelivery, set: {
  status: "pending" | "published" | "delivered" | "dead" | "skipped"; dueAt?: number; firstFailedAt?: number | null; lastStatus: number | null;
  lastError: string | null; lastResponse?: string | null; deliveredAt?: number; messageId?: string;
  /** A publish to QStash is not an attempt at the endpoint: the claim's count is taken back (the relay counts each). */
  uncount?: boolean;
}): D1PreparedStatement {
  return db.$client.prepare(`UPDATE outbound_deliveries SET status = ?, due_at = COALESCE(?, due_at), first_failed_at = ?, last_status = ?,
      last_error = ?, last_response = ?, delivered_at = COALESCE(?, delivered_at), message_id = COALESCE(?, message_id), claim = NULL, attempts = attempts - ?
    WHERE id = ? AND status = 'sending' AND claim = ?`)
    .bind(set.status, set.dueAt ?? null, set.firstFailedAt ?? null, set.lastStatus, set.lastError, set.lastResponse ?? null, set.deliveredAt ?? null, set.messageId ?? null,
      set.uncount === true ? 1 : 0, h.id, h.token);
}

/** A subscription's run of failures: started by a failure, ended by a success. */
export function subscriptionHealth(db: Db, subscriptionId: string, ok: boolean, at: number) {
  return ok
    ? db.update(subscriptions).set({ failingSince: null, flaggedAt: null }).where(eq(subscriptions.id, subscriptionId))
    : db.update(subscriptions).set({ failingSince: sql`COALESCE(${subscriptions.failingSince}, ${at})` }).where(eq(subscriptions.id, subscriptionId));
}

/** Marks the subscription flagged once per run of failures; true for the caller that flagged it. */
export async function flagSubscription(db: Db, subscriptionId: string, at: number): Promise<{ failingSince: number } | null> {
  const row = await db.update(subscriptions).set({ flaggedAt: at })
    .where(and(eq(subscriptions.id, subscriptionId), sql`${subscriptions.flaggedAt} IS NULL`, sql`${subscriptions.failingSince} IS NOT NULL`))
    .returning({ failingSince: subscriptions.failingSince }).get();
  return row === undefined ? null : { failingSince: row.failingSince! };
}

export async function unflagSubscription(db: Db, subscriptionId: string): Promise<void> {
  await db.update(subscriptions).set({ flaggedAt: null }).where(eq(subscriptions.id, subscriptionId)).run();
}

/** Deliveries due at `asOf`, oldest first, for the sweep: pending ones, and claims gone stale. */
export async function dueDeliveries(db: Db, asOf: number, limit: number, staleMs: number) {
  const pick = { id: outboundDeliveries.id, subscriptionId: outboundDeliveries.subscriptionId, instanceId: outboundDeliveries.instanceId, dueAt: outboundDeliveries.dueAt };
  const [pending, stale] = await db.batch([
    db.select(pick).from(outboundDeliveries).where(and(eq(outboundDeliveries.status, "pending"), lte(outboundDeliveries.dueAt, asOf)))
      .orderBy(asc(outboundDeliveries.dueAt)).limit(limit),
    db.select(pick).from(outboundDeliveries).where(and(eq(outboundDeliveries.status, "sending"), lt(outboundDeliveries.claimedAt, asOf - staleMs)))
      .orderBy(asc(outboundDeliveries.dueAt)).limit(limit),
  ]);
  return [...pending, ...stale].sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
}

/** An instance's deliveries still to make, for its workflow's plan. */
export function pendingOfInstance(db: Db, instanceId: string) {
  return db.select({ id: outboundDeliveries.id, status: outboundDeliveries.status, dueAt: outboundDeliveries.dueAt, claimedAt: outboundDeliveries.claimedAt })
    .from(outboundDeliveries).where(and(eq(outboundDeliveries.instanceId, instanceId), inArray(outboundDeliveries.status, ["pending", "sending"])));
}

/** A subscription's latest deliveries, with their events' kinds, newest first; `status` narrows (e.g. dead: the DLQ). */
export async function deliveriesOf(db: Db, subscriptionId: string, limit: number, status?: Delivery["status"]) {
  return db.select({ d: outboundDeliveries, kind: outboundEvents.kind }).from(outboundDeliveries)
    .innerJoin(outboundEvents, eq(outboundEvents.id, outboundDeliveries.eventId))
    .where(and(eq(outboundDeliveries.subscriptionId, subscriptionId), status === undefined ? undefined : eq(outboundDeliveries.status, status)))
    .orderBy(desc(outboundDeliveries.createdAt)).limit(limit).all();
}

/** The attempts of these deliveries, oldest first: one batch, in groups under D1's 100 bound parameters per statement. */
export async function attemptsOf(db: Db, deliveryIds: readonly string[]) {
  if (deliveryIds.length === 0) return [];
  const [first, ...rest] = boundGroups(deliveryIds).map((g) => db.select().from(outboundAttempts).where(inArray(outboundAttempts.deliveryId, g)));
  return (await db.batch([first!, ...rest])).flat().sort((a, b) => a.at - b.at || a.id - b.id);
}

/**
 * A delivery due again now, its failures forgotten (a redelivery): from any state but an attempt under
 * way (sending, or published to QStash); false when it is in one.
 */
export async function replayDelivery(db: Db, id: string, now: number): Promise<boolean> {
  const rows = await db.update(outboundDeliveries).set({ status: "pending", dueAt: now, firstFailedAt: null, dlqId: null })
    .where(and(eq(outboundDeliveries.id, id), inArray(outboundDeliveries.status, ["pending", "dead", "delivered", "skipped"])))
    .returning({ id: outboundDeliveries.id }).all();
  return rows.length > 0;
}

/**
 * The relay's attempt at the endpoint, on the row. A 2xx is the endpoint
 * taking the event: the row is delivered at once, so a success callback that
 * never arrives loses nothing (the callback then finds it done).
 */
export function relayedAttempt(db: Db, id: string, a: { status: number | null; error: string | null; response: string | null }, at: number) {
  const ok = a.error === null;
  return db.update(outboundDeliveries).set({
    attempts: sql`${outboundDeliveries.attempts} + 1`, lastStatus: a.status, lastError: a.error, lastResponse: a.response,
    firstFailedAt: ok ? undefined : sql`COALESCE(${outboundDeliveries.firstFailedAt}, ${at})`,
    ...(ok ? {
      status: sql`CASE WHEN ${outboundDeliveries.status} = 'published' THEN 'delivered' ELSE ${outboundDeliveries.status} END`,
      deliveredAt: sql`CASE WHEN ${outboundDeliveries.status} = 'published' THEN ${at} ELSE ${outboundDeliveries.deliveredAt} END`,
    } : {}),
  }).where(eq(outboundDeliveries.id, id));
}

/** Published rows whose outcome Termini has not heard of by their check time (due_at), oldest first. */
export async function publishedUnsettled(db: Db, asOf: number, limit: number) {
  return db.select({ id: outboundDeliveries.id, subscriptionId: outboundDeliveries.subscriptionId, messageId: outboundDeliveries.messageId, claimedAt: outboundDeliveries.claimedAt })
    .from(outboundDeliveries).where(and(eq(outboundDeliveries.status, "published"), lte(outboundDeliveries.dueAt, asOf)))
    .orderBy(asc(outboundDeliveries.dueAt)).limit(limit).all();
}

/** Still QStash's (it is retrying): looked at again later. */
export async function recheckPublished(db: Db, id: string, messageId: string, at: number): Promise<void> {
  await db.update(outboundDeliveries).set({ dueAt: at })
    .where(and(eq(outboundDeliveries.id, id), eq(outboundDeliveries.status, "published"), eq(outboundDeliveries.messageId, messageId))).run();
}

/** Gone from QStash without an outcome and not in its dead-letter queue: due again, never dropped. */
export async function requeueLost(db: Db, id: string, messageId: string, now: number): Promise<boolean> {
  const rows = await db.update(outboundDeliveries).set({ status: "pending", dueAt: now })
    .where(and(eq(outboundDeliveries.id, id), eq(outboundDeliveries.status, "published"), eq(outboundDeliveries.messageId, messageId)))
    .returning({ id: outboundDeliveries.id }).all();
  return rows.length > 0;
}

/** QStash's callback: the endpoint took it. Only a row QStash holds; a repeat changes nothing. */
export async function deliveredByMessage(db: Db, messageId: string, at: number): Promise<string | undefined> {
  const row = await db.update(outboundDeliveries).set({ status: "delivered", deliveredAt: at, lastError: null })
    .where(and(eq(outboundDeliveries.messageId, messageId), eq(outboundDeliveries.status, "published")))
    .returning({ subscriptionId: outboundDeliveries.subscriptionId }).get();
  return row?.subscriptionId;
}

/** The relay will not post it (its endpoint is refused): the attempt, and the delivery dead at once. */
export function deadOnRelay(db: Db, id: string, error: string, at: number) {
  return [
    attemptInsert(db, id, at, { via: "qstash", status: null, durationMs: null, error }),
    db.update(outboundDeliveries).set({ status: "dead", lastStatus: null, lastError: error }).where(eq(outboundDeliveries.id, id)),
  ] as const;
}

/** Why a delivery was kept unsent (its subscription was off when it fell due), as its row says. */
export const SKIPPED_ERROR = "abbonamento sospeso o disattivato: non inviato";

/** The relay will not post it: its subscription is off. Kept unsent in the log (skipped); QStash is told it is done. */
export function skippedOnRelay(db: Db, id: string) {
  return db.update(outboundDeliveries).set({ status: "skipped", lastStatus: null, lastError: SKIPPED_ERROR })
    .where(and(eq(outboundDeliveries.id, id), eq(outboundDeliveries.status, "published")));
}

/** QStash's failure callback: retries exhausted, the message is in its dead-letter queue. */
export async function deadByMessage(db: Db, messageId: string, dlqId: string, at: number): Promise<string | undefined> {
  const row = await db.update(outboundDeliveries)
    .set({ status: "dead", dlqId, firstFailedAt: sql`COALESCE(${outboundDeliveries.firstFailedAt}, ${at})` })
    .where(and(eq(outboundDeliveries.messageId, messageId), eq(outboundDeliveries.status, "published")))
    .returning({ subscriptionId: outboundDeliveries.subscriptionId }).get();
  return row?.subscriptionId;
}

/**
 * Republished to QStash (a replay): its new message id, out of the dead-letter queue,
 * published now and looked up after `checkAfterMs` if no outcome is heard (as a first publication).
 */
export async function republished(db: Db, id: string, messageId: string, now: number, checkAfterMs: number): Promise<void> {
  await db.update(outboundDeliveries).set({ status: "published", messageId, dlqId: null, claimedAt: now, dueAt: now + checkAfterMs })
    .where(eq(outboundDeliveries.id, id)).run();
}

/** A QStash request acted on once: false when its signature's id was seen before (a replay). */
export async function firstReceipt(db: Db, jti: string, expiresAt: number): Promise<boolean> {
  const rows = await db.insert(qstashReceipts).values({ jti, expiresAt }).onConflictDoNothing().returning({ jti: qstashReceipts.jti }).all();
  return rows.length > 0;
}

export async function purgeReceipts(db: Db, now: number): Promise<void> {
  await db.delete(qstashReceipts).where(lt(qstashReceipts.expiresAt, now)).run();
}
