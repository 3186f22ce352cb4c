/**
 * Which district databases may hold the case a caller means: the office or
 * district it names, the district an event's data names, else the districts
 * of the caller's own offices (every district for a national role). Pure:
 * the directory is read already.
 */
import type { Principal } from "../auth/principal.js";
import type { CaseHint } from "../db/cases.js";
import { type Directory, NATIONAL } from "../db/directory.js";

/** "all": the caller may act anywhere (an administrator, a national office, the ministry). */
export function candidateDistricts(dir: Directory, p: Principal, hint: CaseHint, data?: Record<string, unknown>): string[] | "all" {
  if (hint.office !== undefined) {
    const o = dir.get(hint.office);
    return o === undefined ? [] : [o.jurisdiction];
  }
  if (hint.district !== undefined) return [hint.district];
  if (typeof data?.jurisdiction === "string") return [data.jurisdiction];
  if (p.role === "admin" || p.role === "ministry") return "all";
  const own = [...dir.getMany(p.offices).values()].map((o) => o.jurisdiction);
  if (own.includes(NATIONAL)) return "all";
  return [...new Set(own)].sort();
}
