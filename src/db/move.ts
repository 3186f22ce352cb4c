/**
 * The move from the single-database layout: each case the central database
 * still holds for a district with a database of its own is copied there
 * (every row of it, in one batch, a second copy changing nothing), then
 * deleted here through an audit record of the move, in one batch, as the
 * retention purge deletes. A failure between the two leaves the case in
 * both: the next run copies nothing new and deletes it here.
 *
 * Counters stay in the central database (its "IT" share), where reports add
 * them to the districts': figures are the same before and after the move.
 */
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.js";
import { NATIONAL } from "./directory.js";
import { type Shape, insertJson, selectSql, shapeOf } from "./json-rows.js";
import { outboundAttempts, outboundDeliveries, outboundEvents } from "./outbound-schema.js";
import { caseRowDeletes } from "./retention.js";
import { auditLog, caseOffices, caseRefReview, cases, deadlines, events, notifications, outbox, timelineInstances, workflowFailures } from "./schema.js";

const MOVE_ACTOR = "system:districts";
/** Cases per batch: their rows travel as one JSON parameter each, well under D1's 2 MB per value. */
export const MOVE_BATCH = 10;

const instancesOf = (list: string) => `instance_id IN (SELECT id FROM timeline_instances WHERE case_id IN (${list}))`;
const eventsOf = (list: string) => `event_id IN (SELECT id FROM outbound_events WHERE case_id IN (${list}))`;

/** A case's rows, parents first. Generated ids (attempts, audit entries) get new ones in the district. */
const ROWS: { shape: Shape; where: (list: string) => string }[] = ([
  [cases, (l) => `id IN (${l})`], [caseOffices, (l) => `case_id IN (${l})`], [events, (l) => `case_id IN (${l})`],
  [timelineInstances, (l) => `case_id IN (${l})`], [deadlines, instancesOf], [notifications, instancesOf],
  [outbox, (l) => `notification_id IN (SELECT id FROM notifications WHERE ${instancesOf(l)})`],
  // A delivery's place in its subscription's log is the district's own (a trigger gives it there).
  [outboundEvents, (l) => `case_id IN (${l})`], [outboundDeliveries, eventsOf, ["log_seq"]],
  [outboundAttempts, (l) => `delivery_id IN (SELECT id FROM outbound_deliveries WHERE ${eventsOf(l)})`, ["id"]],
  [workflowFailures, instancesOf], [caseRefReview, (l) => `case_id IN (${l})`], [auditLog, (l) => `case_id IN (${l})`, ["id"]],
] as [SQLiteTable, (l: string) => string, string[]?][]).map(([t, where, skip]) => ({ shape: shapeOf(t, skip), where }));

export interface Movable { id: string; district: string }

/** A case listed for an administrator's review (two cases for one reference) stays where it is until resolved, and after. */
const UNLISTED = "c.id NOT IN (SELECT case_id FROM case_ref_review)";

/**
 * Among these cases, those whose office already uses their reference in the district under another
 * case (the two spellings of one number became one): listed for review in the central database, not
 * moved — copied, the district would keep one and lose the other's rows. Returns their ids.
 */
export async function holdClashes(central: Db, district: Db, ids: readonly string[], now: number): Promise<string[]> {
  const mine = (await central.$client.prepare("SELECT id, owner_office_id AS owner, ref FROM cases WHERE id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(ids)).all<{ id: string; owner: string; ref: string }>()).results;
  const there = (await district.$client.prepare(`SELECT c.id AS id, c.owner_office_id AS owner, c.ref AS ref FROM json_each(?1) j
    JOIN cases c ON c.owner_office_id = json_extract(j.value, '$.owner') AND c.ref = json_extract(j.value, '$.ref')`)
    .bind(JSON.stringify(mine)).all<{ id: string; owner: string; ref: string }>()).results;
  const clashes = mine.flatMap((m) => there.filter((t) => t.owner === m.owner && t.ref === m.ref && t.id !== m.id).map((t) => ({ ...m, other: t.id })));
  if (clashes.length > 0) {
    await central.$client.prepare(`INSERT OR IGNORE INTO case_ref_review (case_id, ref, canonical, other_case_id, found_at)
      SELECT json_extract(value, '$.id'), json_extract(value, '$.ref'), json_extract(value, '$.ref'), json_extract(value, '$.other'), ?2 FROM json_each(?1)`)
      .bind(JSON.stringify(clashes), now).run();
  }
  return clashes.map((c) => c.id);
}

/** Cases the central database holds whose owner office's district is among `districts` (not the national one). */
export async function movableCases(central: Db, districts: readonly string[], limit: number): Promise<Movable[]> {
  const codes = districts.filter((d) => d !== NATIONAL);
  if (codes.length === 0) return [];
  const r = await central.$client.prepare(`SELECT c.id AS id, o.jurisdiction AS district FROM cases c JOIN offices o ON o.id = c.owner_office_id
    WHERE o.jurisdiction IN (SELECT value FROM json_each(?1)) AND ${UNLISTED} ORDER BY c.created_at LIMIT ?2`).bind(JSON.stringify(codes), limit).all<Movable>();
  return r.results;
}

/** How many cases the central database still holds for those districts. */
export async function movableCount(central: Db, districts: readonly string[]): Promise<number> {
  const codes = districts.filter((d) => d !== NATIONAL);
  if (codes.length === 0) return 0;
  const r = await central.$client.prepare(`SELECT count(*) AS n FROM cases c JOIN offices o ON o.id = c.owner_office_id
    WHERE o.jurisdiction IN (SELECT value FROM json_each(?1)) AND ${UNLISTED}`).bind(JSON.stringify(codes)).first<{ n: number }>();
  return r?.n ?? 0;
}

/** Copies these cases' rows into the district's database; the running timelines copied, for their workflows. */
export async function copyCases(central: Db, district: Db, ids: readonly string[]): Promise<{ running: { id: string; workflowId: string }[] }> {
  const list = ids.map((_, i) => `?${i + 1}`).join(", ");
  const read = await central.$client.batch<Record<string, unknown>>(ROWS.map((r) => central.$client.prepare(selectSql(r.shape, r.where(list))).bind(...ids)));
  await district.$client.batch(ROWS.map((r, i) => district.$client.prepare(insertJson(r.shape, "ignore")).bind(JSON.stringify(read[i]!.results))));
  const instances = read[ROWS.findIndex((r) => r.shape.name === "timeline_instances")]!.results;
  return { running: instances.filter((i) => i.status === "running").map((i) => ({ id: String(i.id), workflowId: String(i.workflow_id) })) };
}

/** Deletes the copied cases here, each through an audit record of its move; how many went. */
export async function dropMoved(central: Db, ids: readonly string[], district: string, now: number): Promise<number> {
  const list = ids.map((_, i) => `?${i + 3}`).join(", ");
  const stmts = [
    `INSERT INTO audit_log (at, actor, action, case_id, detail, request_id)
      SELECT ?1, '${MOVE_ACTOR}', 'case.moved', id, json_object('district', ?2), NULL FROM cases WHERE id IN (${list})`,
    ...caseRowDeletes("case.moved", list),
  ];
  const results = await central.$client.batch(stmts.map((sql) => central.$client.prepare(sql).bind(now, district, ...ids)));
  return results[results.length - 1]?.meta.changes ?? 0;
}
