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

type CounterRow = Awaited<ReturnType<typeof countersBetween>>[number];

/**
 * The counters of several district databases as one: an office counted in
 * two districts (a national office on cases of both) is added up, never
 * taken twice or once.
 */
export async function countersAcross(dbs: readonly Db[], fromMonth: string, toMonth: string): Promise<CounterRow[]> {
  const parts = await Promise.all(dbs.map((db) => countersBetween(db, fromMonth, toMonth)));
  if (parts.length === 1) return parts[0]!;
  const sum = new Map<string, CounterRow>();
  for (const r of parts.flat()) {
    const key = `${r.month}\u0000${r.officeId}\u0000${r.metric}`;
    const had = sum.get(key);
    sum.set(key, had === undefined ? { ...r } : { ...had, value: had.value + r.value });
  }
  return [...sum.values()];
}
