/** Generated reports: versions kept, each with its data snapshot time and checksum. */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "./client.js";
import { reports } from "./schema.js";

export type StoredReport = typeof reports.$inferSelect;

export async function findReport(db: Db, kind: string, period: string, scope: string, version?: number): Promise<StoredReport | undefined> {
  const where = and(eq(reports.kind, kind), eq(reports.period, period), eq(reports.scope, scope), version === undefined ? undefined : eq(reports.version, version));
  return db.select().from(reports).where(where).orderBy(desc(reports.version)).limit(1).get();
}

export async function listVersions(db: Db, kind: string, period: string, scope: string) {
  return db.select({
    version: reports.version, snapshotAt: reports.snapshotAt, checksum: reports.checksum, submittedAt: reports.submittedAt, submittedBy: reports.submittedBy,
    withdrawnAt: reports.withdrawnAt,
  })
    .from(reports).where(and(eq(reports.kind, kind), eq(reports.period, period), eq(reports.scope, scope))).orderBy(desc(reports.version)).all();
}

/** The version of a period that stands transmitted, if one does. */
export async function transmittedReport(db: Db, kind: string, period: string, scope: string): Promise<StoredReport | undefined> {
  return db.select().from(reports)
    .where(and(eq(reports.kind, kind), eq(reports.period, period), eq(reports.scope, scope), isNotNull(reports.submittedAt)))
    .orderBy(desc(reports.version)).limit(1).get();
}
