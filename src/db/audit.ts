/**
 * Every read and write of case data leaves a row here, and every disclosure with its recipients;
 * reads and disclosures with their reason. The table is append-only (triggers refuse updates, and
 * deletes of rows newer than the retention horizon). Details carry identifiers, dates and the
 * institutional addresses messages went to, never data about the people in a case.
 */
import type { Db } from "./client.js";
import { auditLog } from "./schema.js";

export interface AuditEntry {
  actor: string;
  action: string;
  caseId: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
  /** Why the data was consulted or disclosed (art. 21 co. 2 D.Lgs. 51/2018): every read and disclosure gives one. */
  reason?: string | null;
}

export function auditInsert(db: Db, e: AuditEntry, at: number) {
  return db.insert(auditLog).values({ ...e, at });
}

export async function audit(db: Db, e: AuditEntry, at: number): Promise<void> {
  await auditInsert(db, e, at).run();
}
