/**
 * Which case a reference means for a caller. A case the caller may not see
 * is answered exactly like one that does not exist, so nobody can probe
 * which numbers other offices use; a reference the caller sees at more
 * than one office must be narrowed by the owner office or the district.
 */
import { type Principal, mayAccess } from "../auth/principal.js";
import { type CaseHint, casesByRef, officesOfCase } from "../db/cases.js";
import type { Db } from "../db/client.js";
import { type Directory, directory } from "../db/directory.js";
import { centralDb, dbsFor, legacyCentral } from "../db/districts.js";
import type { Bindings } from "../env.js";
import { candidateDistricts } from "./case-district.js";
import type { CaseState } from "../db/event-state.js";
import { ApiError } from "../http/problem.js";

/** Among the cases found under a reference, the one the caller sees (pure: everything is read). */
export function pickVisible(dir: Directory, p: Principal, ref: string, found: readonly CaseState[]): CaseState | undefined {
  const visible = found.filter((c) => mayAccess(dir, p, Object.values(c.offices)));
  if (visible.length > 1) {
    const options = visible.map((c) => `office=${c.ownerOfficeId} (distretto ${c.district})`).join(", ");
    throw new ApiError("ambiguous_case", `Il riferimento ${ref} corrisponde a più procedimenti visibili: indicare l'ufficio o il distretto (${options})`, {
      candidates: visible.map((c) => ({ office: c.ownerOfficeId, district: c.district })),
    });
  }
  return visible[0];
}

export async function visibleCase(db: Db, p: Principal, ref: string, hint: CaseHint = {}): Promise<CaseState | undefined> {
  const [found, dir] = await Promise.all([casesByRef(db, ref, hint), directory(db)]);
  const withOffices = await Promise.all(found.map(async (c) => ({ ...c, offices: await officesOfCase(db, c.id) })));
  return pickVisible(dir, p, ref, withOffices);
}

/** The same, where not finding it is the answer: 404 for absent and invisible alike. */
export async function requireVisibleCase(db: Db, p: Principal, ref: string, hint: CaseHint = {}): Promise<CaseState> {
  const found = await visibleCase(db, p, ref, hint);
  if (found === undefined) throw new ApiError("not_found", `Procedimento ${ref} non trovato`);
  return found;
}

/**
 * The case a caller means, in whichever district database holds it: the
 * candidate districts (its hint, else the caller's own) are read at once,
 * and the same visibility rule picks among everything found.
 */
export async function locateVisibleCase(env: Bindings, p: Principal, ref: string, hint: CaseHint = {}): Promise<{ db: Db; found: CaseState }> {
  const [dir, old] = await Promise.all([directory(centralDb(env)), legacyCentral(env, Date.now())]);
  const candidates = dbsFor(env, candidateDistricts(dir, p, hint));
  // While the move from the single layout is pending, a case may still be in the central database.
  const dbs = old === null || candidates.some((d) => d.district === old.district) ? candidates : [...candidates, old];
  const found = await Promise.all(dbs.map(async (db) => {
    const rows = await casesByRef(db, ref, hint);
    return Promise.all(rows.map(async (c) => ({ ...c, offices: await officesOfCase(db, c.id), db })));
  }));
  const mine = pickVisible(dir, p, ref, found.flat());
  if (mine === undefined) throw new ApiError("not_found", `Procedimento ${ref} non trovato`);
  const { db, ...c } = mine as CaseState & { db: Db };
  return { db, found: c };
}
