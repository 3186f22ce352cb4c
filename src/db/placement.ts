/**
 * Where each case should be: in its owner office's district database. New
 * cases are checked where they are first written (insertCase); this finds
 * any that are not, so that a mistake from before that check — or an
 * office's district changed while it owned cases — is visible, not silent.
 */
import type { Db } from "./client.js";
import { NATIONAL } from "./directory.js";

export interface Misplaced {
  ref: string;
  office: string;
  /** The district whose database holds it. */
  district: string;
  /** Its owner office's district, where it belongs. */
  belongsTo: string;
}

/**
 * The cases a district's database holds for another district's offices, oldest first. It reads
 * the other districts' offices (the directory's copy) and, through the owner index, only their
 * cases: nothing when all is well. The central database's cases of other districts are the move's
 * (movableCases), not misplaced.
 */
export async function misplacedCases(db: Db, limit: number): Promise<Misplaced[]> {
  if (db.district === null || db.district === NATIONAL) return [];
  const r = await db.$client.prepare(`SELECT c.ref AS ref, c.owner_office_id AS office, o.jurisdiction AS belongsTo
    FROM offices o JOIN cases c ON c.owner_office_id = o.id WHERE o.jurisdiction <> ?1 ORDER BY c.created_at, c.id LIMIT ?2`)
    .bind(db.district, limit).all<Omit<Misplaced, "district">>();
  return r.results.map((m) => ({ ...m, district: db.district! }));
}
