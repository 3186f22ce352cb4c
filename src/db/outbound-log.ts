/** A subscription's event log, as integrators catch up from it, and its retention. */
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { outboundDeliveries, outboundEvents } from "./schema.js";

/**
 * A subscription's event log in this database after `after` (0: from the oldest kept), in the order the
 * rows were written (log_seq, which only grows), with its delivery's state. Every event written for it,
 * sent or not; tests and samples, which count nothing, left out.
 */
export async function eventLogOf(db: Db, subscriptionId: string, after: number, limit: number) {
  const d = outboundDeliveries;
  return db.select({ row: sql<number>`${d.logSeq}`, id: d.id, status: d.status, attempts: d.attempts, createdAt: d.createdAt, deliveredAt: d.deliveredAt, body: outboundEvents.body })
    .from(d).innerJoin(outboundEvents, eq(outboundEvents.id, d.eventId))
    .where(and(eq(d.subscriptionId, subscriptionId), isNotNull(outboundEvents.seq), gt(d.logSeq, after)))
    .orderBy(d.logSeq).limit(limit).all();
}

/**
 * A log's entries older than `before`, none still being delivered: their deliveries and attempts, at
 * most `limit` events' worth; then the events left with no delivery — except each case's (or
 * report's) latest, kept as long as the case so that its next event's `sequence` follows it (a
 * receiver that kept the last number must never see a smaller one for a newer event), its body
 * emptied: only its number stays past the log's days.
 */
export async function purgeOutboundLog(db: Db, before: number, limit: number): Promise<{ deliveries: number; events: number; emptied: number }> {
  const old = (more: string) => `SELECT id FROM outbound_events e WHERE e.created_at < ?1 ${more} ORDER BY e.created_at LIMIT ?2`;
  const withDeliveries = old(`AND EXISTS (SELECT 1 FROM outbound_deliveries x WHERE x.event_id = e.id)
    AND NOT EXISTS (SELECT 1 FROM outbound_deliveries x WHERE x.event_id = e.id AND x.status IN ('pending', 'sending', 'published'))`);
  const bare = old(`AND NOT EXISTS (SELECT 1 FROM outbound_deliveries x WHERE x.event_id = e.id)
    AND (e.subject IS NULL OR e.seq < (SELECT MAX(y.seq) FROM outbound_events y WHERE y.subject = e.subject))`);
  const results = await db.$client.batch([
    db.$client.prepare(`DELETE FROM outbound_attempts WHERE delivery_id IN (SELECT id FROM outbound_deliveries WHERE event_id IN (${withDeliveries}))`).bind(before, limit),
    db.$client.prepare(`DELETE FROM outbound_deliveries WHERE event_id IN (${withDeliveries})`).bind(before, limit),
    db.$client.prepare(`DELETE FROM outbound_events WHERE id IN (${bare})`).bind(before, limit),
    db.$client.prepare(`UPDATE outbound_events SET body = '{}' WHERE id IN (${old(`AND e.body != '{}' AND NOT EXISTS (SELECT 1 FROM outbound_deliveries x WHERE x.event_id = e.id)`)})`).bind(before, limit),
  ]);
  return { deliveries: results[1]?.meta.changes ?? 0, events: results[2]?.meta.changes ?? 0, emptied: results[3]?.meta.changes ?? 0 };
}
