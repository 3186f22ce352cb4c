/** Obligations the scheduler could not open: what administrators see until the next run opens them. */
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { scheduleFailures } from "./schema.js";

export async function recordScheduleFailure(
  db: Db, o: { ref: string; timeline: string; officeId: string; dueDate: string }, code: string, now: number,
): Promise<void> {
  await db.insert(scheduleFailures).values({ ...o, code, firstAt: now, lastAt: now, attempts: 1 })
    .onConflictDoUpdate({ target: scheduleFailures.ref, set: { code, lastAt: now, attempts: sql`${scheduleFailures.attempts} + 1` } }).run();
}

export async function clearScheduleFailure(db: Db, ref: string): Promise<void> {
  await db.delete(scheduleFailures).where(eq(scheduleFailures.ref, ref)).run();
}

export async function listScheduleFailures(db: Db) {
  return db.select().from(scheduleFailures).orderBy(desc(scheduleFailures.lastAt)).all();
}
