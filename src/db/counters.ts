/** The report counters: upserts that add to a cell. */
import { and, gte, lte, sql } from "drizzle-orm";
import type { Bump } from "../stats/metrics.js";
import type { Db } from "./client.js";
import { statCounters } from "./schema.js";

export function bumpStatement(db: Db, b: Bump) {
  return db
    .insert(statCounters)
    .values({ month: b.month, officeId: b.officeId, metric: b.metric, value: b.by })
    .onConflictDoUpdate({ target: [statCounters.month, statCounters.officeId, statCounters.metric], set: { value: sql`${statCounters.value} + ${b.by}` } });
}

export async function countersBetween(db: Db, fromMonth: string, toMonth: string) {
  return db.select().from(statCounters).where(and(gte(statCounters.month, fromMonth), lte(statCounters.month, toMonth))).all();
}
