/**
 * The retention purge's statements. A batch of cases goes in one D1 batch,
 * all or nothing: first the audit log records each case's purge — only for
 * cases still purgeable at that instant (a late event in between keeps its
 * case) — then every row of those cases is deleted, found through that
 * record, events last among the case's own rows (their trigger lets a
 * delete through only for a case whose purge the audit log holds).
 * The monthly counters hold no case and stay: reports read only them.
 * Moving a case to its district (move.ts) deletes it the same way.
 */
import type { Db } from "./client.js";

const RETENTION_ACTOR = "system:retention";

/** The oldest cases quiet since before `cutoff` with no running timeline: an index walk on last_activity_at. */
export async function purgeableCases(db: Db, cutoff: number, limit: number): Promise<string[]> {
  const rows = await db.$client.prepare(`SELECT id FROM cases c WHERE last_activity_at <= ?1
      AND NOT EXISTS (SELECT 1 FROM timeline_instances i WHERE i.case_id = c.id AND i.status = 'running')
    ORDER BY last_activity_at LIMIT ?2`).bind(cutoff, limit).all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

export interface PurgedCounts { cases: number; events: number; deadlines: number; notifications: number }

/** At most this many cases per batch: their ids and two instants stay under D1's 100 bound parameters. */
export const PURGE_BATCH = 90;

/** Purges these cases (those still purgeable), in one batch; what went. */
export async function purgeCases(db: Db, ids: readonly string[], cutoff: number, now: number): Promise<PurgedCounts> {
  if (ids.length === 0) return { cases: 0, events: 0, deadlines: 0, notifications: 0 };
  if (ids.length > PURGE_BATCH) throw new Error(`at most ${PURGE_BATCH} cases per purge batch`);
  const list = ids.map((_, i) => `?${i + 3}`).join(", ");
  const count = (table: string, where: string) => `(SELECT count(*) FROM ${table} WHERE ${where})`;
  const stmts = [
    // What the audit log keeps: the case's internal id (never its reference), when it went quiet, and what went.
    `INSERT INTO audit_log (at, actor, action, case_id, detail, request_id)
      SELECT ?1, '${RETENTION_ACTOR}', 'case.purged', c.id, json_object(
        'lastActivityAt', c.last_activity_at, 'cutoff', ?2,
        'events', ${count("events", "case_id = c.id")},
        'timelines', ${count("timeline_instances", "case_id = c.id")},
        'deadlines', ${count("deadlines", "instance_id IN (SELECT id FROM timeline_instances WHERE case_id = c.id)")},
        'notifications', ${count("notifications", "instance_id IN (SELECT id FROM timeline_instances WHERE case_id = c.id)")}), NULL
      FROM cases c WHERE c.id IN (${list}) AND c.last_activity_at <= ?2
        AND NOT EXISTS (SELECT 1 FROM timeline_instances i WHERE i.case_id = c.id AND i.status = 'running')`,
    ...caseRowDeletes("case.purged", list),
  ];
  // Each statement binds the same values; a statement that uses fewer ignores the rest.
  const results = await db.$client.batch(stmts.map((sql) => db.$client.prepare(sql).bind(now, cutoff, ...ids)));
  const changes = (table: string) => results[stmts.findIndex((sql) => sql.startsWith(`DELETE FROM ${table} `))]?.meta.changes ?? 0;
  return { cases: changes("cases"), events: changes("events"), deadlines: changes("deadlines"), notifications: changes("notifications") };
}

/**
 * Deletes every row of the cases among `list` (SQL placeholders) whose
 * `action` the audit log holds, children first; events after the rows that
 * name them (their trigger checks that same audit record); the case last.
 */
export function caseRowDeletes(action: "case.purged" | "case.moved", list: string): string[] {
  const recorded = `SELECT case_id FROM audit_log WHERE action = '${action}' AND case_id IN (${list})`;
  const instances = `SELECT id FROM timeline_instances WHERE case_id IN (${recorded})`;
  const outbound = `SELECT id FROM outbound_events WHERE case_id IN (${recorded})`;
  return [
    `DELETE FROM outbox WHERE notification_id IN (SELECT id FROM notifications WHERE instance_id IN (${instances}))`,
    `DELETE FROM notifications WHERE instance_id IN (${instances})`,
    `DELETE FROM deadlines WHERE instance_id IN (${instances})`,
    `DELETE FROM workflow_failures WHERE instance_id IN (${instances})`,
    `DELETE FROM outbound_attempts WHERE delivery_id IN (SELECT id FROM outbound_deliveries WHERE event_id IN (${outbound}))`,
    `DELETE FROM outbound_deliveries WHERE event_id IN (${outbound})`,
    `DELETE FROM outbound_events WHERE case_id IN (${recorded})`,
    `DELETE FROM timeline_instances WHERE case_id IN (${recorded})`,
    `DELETE FROM events WHERE case_id IN (${recorded})`,
    `DELETE FROM case_offices WHERE case_id IN (${recorded})`,
    `DELETE FROM case_ref_review WHERE case_id IN (${recorded})`,
    `DELETE FROM cases WHERE id IN (${recorded})`,
  ];
}

/** Rows older than `before` from a table kept by age, at most `limit` of them (bounded like the rest). */
export async function purgeByAge(db: Db, table: "webhook_deliveries" | "mail_outbox", column: "received_at" | "created_at", before: number, limit: number): Promise<number> {
  const r = await db.$client.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ?1 ORDER BY ${column} LIMIT ?2)`)
    .bind(before, limit).run();
  return r.meta.changes ?? 0;
}

/**
 * The audit log's own retention: the horizon moves forward to `before` (the table's trigger refuses
 * to delete anything newer than the horizon, and the horizon never moves back), then at most `limit`
 * rows older than it go, oldest first. The purge is itself logged.
 */
export async function purgeAuditLog(db: Db, before: number, now: number, limit = 10_000): Promise<number> {
  const [, deleted] = await db.$client.batch([
    db.$client.prepare("UPDATE audit_horizon SET before = max(before, ?) WHERE id = 1").bind(before),
    db.$client.prepare("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)").bind(before, limit),
  ]);
  const entries = deleted?.meta.changes ?? 0;
  if (entries > 0) {
    await db.$client.prepare("INSERT INTO audit_log (at, actor, action, case_id, detail, request_id, reason) VALUES (?, ?, 'audit.purged', NULL, ?, NULL, ?)")
      .bind(now, RETENTION_ACTOR, JSON.stringify({ entries, before }), "decorso del termine di conservazione del registro (AUDIT_RETENTION_YEARS)").run();
  }
  return entries;
}
