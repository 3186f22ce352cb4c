/**
 * Which case a reference means for a caller. A case the caller may not see
 * is answered exactly like one that does not exist, so nobody can probe
 * which numbers other offices use; a reference the caller sees at more
 * than one office must be narrowed by the owner office or the district.
 */
import { type Principal, canAccessCase } from "../auth/principal.js";
import { type Case, type CaseHint, casesByRef } from "../db/cases.js";
import type { Db } from "../db/client.js";
import { ApiError } from "../http/problem.js";

export async function visibleCase(db: Db, p: Principal, ref: string, hint: CaseHint = {}): Promise<Case | undefined> {
  const visible: (Case & { district: string })[] = [];
  for (const c of await casesByRef(db, ref, hint)) if (await canAccessCase(db, p, c.id)) visible.push(c);
  if (visible.length > 1) {
    const options = visible.map((c) => `office=${c.ownerOfficeId} (distretto ${c.district})`).join(", ");
    throw new ApiError("ambiguous_case", `Il riferimento ${ref} corrisponde a più procedimenti visibili: indicare l'ufficio o il distretto (${options})`, {
      candidates: visible.map((c) => ({ office: c.ownerOfficeId, district: c.district })),
    });
  }
  return visible[0];
}

/** The same, where not finding it is the answer: 404 for absent and invisible alike. */
export async function requireVisibleCase(db: Db, p: Principal, ref: string, hint: CaseHint = {}): Promise<Case> {
  const found = await visibleCase(db, p, ref, hint);
  if (found === undefined) throw new ApiError("not_found", `Procedimento ${ref} non trovato`);
  return found;
}
