/**
 * Every read and write of case data leaves a row here. The table is
 * append-only (triggers refuse updates and deletes). Details carry
 * identifiers and dates, never personal data.
 */
import type { Db } from "./client.js";
import { auditLog } from "./schema.js";

export interface AuditEntry {
  actor: string;
  action: string;
  caseId: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
}

export function auditInsert(db: Db, e: AuditEntry, at: number) {
  return db.insert(auditLog).values({ ...e, at });
}

export async function audit(db: Db, e: AuditEntry, at: number): Promise<void> {
  await auditInsert(db, e, at).run();
}
