/**
 * Which case a reference means for a caller. A case the caller may not see
 * is answered exactly like one that does not exist, so nobody can probe
 * which numbers other offices use; a reference the caller sees at more
 * than one office must be narrowed by the owner office or the district.
 */
import { type Principal, mayAccess } from "../../auth/principal.js";
import { type CaseHint, casesByRef, officesOfCase } from "../../db/cases.js";
import type { Db } from "../../db/client.js";
import { type Directory, directory } from "../../db/directory.js";
import { centralDb, dbsFor, plusLegacy } from "../../db/districts.js";
import type { Bindings } from "../../env.js";
import { candidateDistricts } from "../districts/case-district.js";
import type { CaseState } from "../../db/event-state.js";
import { DomainFailure } from "../failure.js";

/** Among the cases found under a reference, the one the caller sees (pure: everything is read). */
export function pickVisible(dir: Directory, p: Principal, ref: string, found: readonly CaseState[]): CaseState | undefined {
  const visible = found.filter((c) => mayAccess(dir, p, Object.values(c.offices)));
  if (visible.length > 1) {
    const options = visible.map((c) => `office=${c.ownerOfficeId} (distretto ${c.district})`).join(", ");
    throw new DomainFailure("ambiguous_case", `Il riferimento ${ref} corrisponde a più procedimenti visibili: indicare l'ufficio o il distretto (${options})`, {
      candidates: visible.map((c) => ({ office: c.ownerOfficeId, district: c.district })),
    });
  }
  return visible[0];
}

/**
 * The case a caller means, in whichever district database holds it: the
 * candidate districts (its hint, else the caller's own) are read at once,
 * and the same visibility rule picks among everything found.
 */
export async function locateVisibleCase(env: Bindings, p: Principal, ref: string, hint: CaseHint = {}): Promise<{ db: Db; found: CaseState }> {
  const dir = await directory(centralDb(env));
  // While the move from the single layout is pending, a case may still be in the central database.
  const dbs = await plusLegacy(env, dbsFor(env, candidateDistricts(dir, p, hint)), Date.now());
  const found = await Promise.all(dbs.map(async (db) => {
    const rows = await casesByRef(db, ref, hint);
    return Promise.all(rows.map(async (c) => ({ ...c, offices: await officesOfCase(db, c.id), db })));
  }));
  const mine = pickVisible(dir, p, ref, found.flat());
  if (mine === undefined) throw new DomainFailure("not_found", `Procedimento ${ref} non trovato`);
  const { db, ...c } = mine as CaseState & { db: Db };
  return { db, found: c };
}
