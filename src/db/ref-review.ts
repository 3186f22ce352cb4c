/**
 * Cases whose reference could not take its canonical spelling when
 * references became canonical (migration 0017): another case of the same
 * office holds it. Listed for administrators, never merged: one of the two
 * is a duplicate an administrator withdraws.
 */
import type { Db } from "./client.js";

export interface RefCollision {
  caseId: string;
  /** The reference as stored, which it keeps. */
  ref: string;
  canonical: string;
  office: string;
  /** The case of the same office holding the canonical reference. */
  otherCaseId: string;
  /** Whether any of its timelines still runs (and so still reminds and escalates). */
  running: boolean;
  district: string | null;
}

export async function refCollisions(db: Db): Promise<RefCollision[]> {
  const r = await db.$client.prepare(`SELECT r.case_id AS caseId, r.ref AS ref, r.canonical AS canonical, c.owner_office_id AS office, r.other_case_id AS otherCaseId,
      EXISTS (SELECT 1 FROM timeline_instances i WHERE i.case_id = r.case_id AND i.status = 'running') AS running
    FROM case_ref_review r JOIN cases c ON c.id = r.case_id WHERE r.resolved_at IS NULL ORDER BY r.found_at, r.case_id LIMIT 200`)
    .all<Omit<RefCollision, "running" | "district"> & { running: number }>();
  return r.results.map((x) => ({ ...x, running: x.running === 1, district: db.district }));
}

/** The starting events of a listed case's running timelines: cancelling them withdraws the timelines. */
export async function runningStarts(db: Db, caseId: string): Promise<string[]> {
  const r = await db.$client.prepare("SELECT started_by_event AS id FROM timeline_instances WHERE case_id = ?1 AND status = 'running'").bind(caseId).all<{ id: string }>();
  return r.results.map((x) => x.id);
}
