/** The report counters: upserts that add to a cell. */
import { and, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { type Bump, monthOf } from "../stats/metrics.js";
import type { Db } from "./client.js";
import { deadlines, statCounters, timelineInstances } from "./schema.js";

export function bumpStatement(db: Db, b: Bump) {
  return db
    .insert(statCounters)
    .values({ month: b.month, officeId: b.officeId, metric: b.metric, value: b.by })
    .onConflictDoUpdate({ target: [statCounters.month, statCounters.officeId, statCounters.metric], set: { value: sql`${statCounters.value} + ${b.by}` } });
}

async function countersBetween(db: Db, fromMonth: string, toMonth: string) {
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

/**
 * Deadlines that fell due in [fromMs, toMs) before `now` and were still open at `now`, as counters
 * (`<timeline>:<stage>:open`, in the month they fell due) of the stages the reports count. They are a
 * snapshot, not events: computed when a report is generated, never stored.
 */
export async function overdueOpenAcross(dbs: readonly Db[], stages: readonly { timeline: string; stage: string }[], fromMs: number, toMs: number, now: number) {
  const until = Math.min(toMs, now);
  const parts = await Promise.all(dbs.map((db) =>
    db.select({ timeline: timelineInstances.timeline, stage: deadlines.stage, officeId: deadlines.officeId, dueAtMs: deadlines.dueAtMs })
      .from(deadlines).innerJoin(timelineInstances, eq(timelineInstances.id, deadlines.instanceId))
      .where(and(eq(deadlines.status, "open"), gte(deadlines.dueAtMs, fromMs), lt(deadlines.dueAtMs, until),
        inArray(deadlines.stage, stages.map((s) => s.stage))))
      .all()));
  const sum = new Map<string, { month: string; officeId: string; metric: string; value: number }>();
  for (const d of parts.flat()) {
    if (!stages.some((s) => s.timeline === d.timeline && s.stage === d.stage)) continue;
    const metric = `${d.timeline}:${d.stage}:open`;
    const month = monthOf(d.dueAtMs);
    const key = `${month}\u0000${d.officeId}\u0000${metric}`;
    const had = sum.get(key);
    sum.set(key, { month, officeId: d.officeId, metric, value: (had?.value ?? 0) + 1 });
  }
  return [...sum.values()];
}
