/**
 * Which district databases may hold the case a caller means: the office or
 * district it names, the district an event's data names, else the districts
 * of the caller's own offices (every district for a national role). A hint
 * naming a district the caller does not act in is refused here, before any
 * read or write: a hint chooses among the caller's districts, never beyond
 * them. Pure: the directory is read already.
 */
import type { Principal } from "../../auth/principal.js";
import type { CaseHint } from "../../db/cases.js";
import { type Directory, NATIONAL } from "../../db/directory.js";
import { DomainFailure } from "../failure.js";
import { districtsOf, requireOwnDistrict } from "./resolve-offices.js";

/** The districts a caller acts in; "all" for an administrator, the ministry, or a national office. */
function actingDistricts(dir: Directory, p: Principal): ReadonlySet<string> | "all" {
  if (p.role === "admin" || p.role === "ministry") return "all";
  const own = districtsOf(dir, p);
  return own.has(NATIONAL) ? "all" : own;
}

function requireActing(acting: ReadonlySet<string> | "all", code: string, parameter: string, office?: string): string[] {
  if (acting !== "all" && !acting.has(code)) {
    const why = office === undefined ? `la credenziale non opera per il distretto ${code}` : `l'ufficio ${office} è del distretto ${code}, per cui la credenziale non opera`;
    throw new DomainFailure("forbidden", `${parameter}: ${why}`, { parameter });
  }
  return [code];
}

/** "all": the caller may act anywhere (an administrator, a national office, the ministry). */
export function candidateDistricts(dir: Directory, p: Principal, hint: CaseHint, data?: Record<string, unknown>): string[] | "all" {
  const acting = actingDistricts(dir, p);
  // Offices an event names for a new timeline: each of the caller's districts (or its own, or national).
  const named = data?.offices;
  if (named !== null && typeof named === "object") {
    const own = districtsOf(dir, p);
    for (const [role, id] of Object.entries(named as Record<string, unknown>)) {
      const office = typeof id === "string" ? dir.get(id) : undefined;
      if (office !== undefined) requireOwnDistrict(p, own, office, `data.offices.${role}`);
    }
  }
  if (hint.office !== undefined) {
    const o = dir.get(hint.office);
    return o === undefined ? [] : requireActing(acting, o.jurisdiction, "office", o.id);
  }
  if (hint.district !== undefined) return requireActing(acting, hint.district, "district");
  if (typeof data?.jurisdiction === "string") return requireActing(acting, data.jurisdiction, "data.jurisdiction");
  return acting === "all" ? "all" : [...acting].sort();
}
