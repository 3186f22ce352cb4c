/** A subscription's event log, as integrators catch up from it, and its retention. */
import { and, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { outboundDeliveries, outboundEvents } from "./schema.js";

/**
 * A subscription's event log in this database after row `after` (0: from the oldest kept), in the order
 * the rows were written (rowid: the order of each case's sequence), with its delivery's state. Every
 * event written for it, sent or not; tests and samples, which count nothing, left out.
 */
export async function eventLogOf(db: Db, subscriptionId: string, after: number, limit: number) {
  const d = outboundDeliveries;
  const rowid = sql<number>`${d}.rowid`;
  return db.select({ row: rowid, id: d.id, status: d.status, attempts: d.attempts, createdAt: d.createdAt, deliveredAt: d.deliveredAt, body: outboundEvents.body })
    .from(d).innerJoin(outboundEvents, eq(outboundEvents.id, d.eventId))
    .where(and(eq(d.subscriptionId, subscriptionId), isNotNull(outboundEvents.seq), gt(rowid, after)))
    .orderBy(rowid).limit(limit).all();
}

/** Events older than `before` with their deliveries and attempts, none of them still due: at most `limit` events. */
export async function purgeOutboundLog(db: Db, before: number, limit: number): Promise<number> {
  const old = `SELECT id FROM outbound_events e WHERE e.created_at < ?1
    AND NOT EXISTS (SELECT 1 FROM outbound_deliveries x WHERE x.event_id = e.id AND x.status IN ('pending', 'sending', 'published'))
    ORDER BY e.created_at LIMIT ?2`;
  const results = await db.$client.batch([
    db.$client.prepare(`DELETE FROM outbound_attempts WHERE delivery_id IN (SELECT id FROM outbound_deliveries WHERE event_id IN (${old}))`).bind(before, limit),
    db.$client.prepare(`DELETE FROM outbound_deliveries WHERE event_id IN (${old})`).bind(before, limit),
    db.$client.prepare(`DELETE FROM outbound_events WHERE id IN (${old})`).bind(before, limit),
  ]);
  return results[2]?.meta.changes ?? 0;
}
