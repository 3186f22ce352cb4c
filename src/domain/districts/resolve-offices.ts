/**
 * Which offices act in a new timeline: named in the event's data, already
 * on the case, or found in the directory for the district.
 */
import type { Principal } from "../../auth/principal.js";
import { type Directory, NATIONAL, type Office } from "../../db/directory.js";
import { DomainFailure } from "../failure.js";

interface Hints {
  named: Record<string, string | undefined>;
  jurisdiction: string | undefined;
  onCase: Record<string, string>;
}

/** The districts of the offices the caller acts for. */
export function districtsOf(dir: Directory, p: Principal): Set<string> {
  return new Set([...dir.getMany(p.offices).values()].map((o) => o.jurisdiction));
}

/**
 * A caller names offices of its own district only (or offices it acts for,
 * or national ones): a Turin system cannot open deadlines for Milan's Procura.
 */
export function requireOwnDistrict(p: Principal, districts: Set<string>, office: Office, parameter: string): void {
  if (p.role === "admin" || p.offices.has(office.id) || office.jurisdiction === NATIONAL || districts.has(office.jurisdiction)) return;
  throw new DomainFailure("forbidden", `${parameter}: l'ufficio ${office.id} è del distretto ${office.jurisdiction}, non di quello per cui opera la credenziale`, { parameter });
}

/** role → office, for every role the timeline needs. */
export function resolveOffices(dir: Directory, p: Principal, roles: Record<string, string>, hints: Hints): Record<string, Office> {
  const entries = Object.entries(roles);
  const named = new Map(entries.map(([role]) => [role, hints.named[role] ?? hints.onCase[role]] as const));
  const ids = [...named.values()].filter((id): id is string => id !== undefined);
  const unnamed = entries.filter(([role]) => named.get(role) === undefined).map(([, kind]) => kind);
  const districts = p.role === "admin" ? new Set<string>() : districtsOf(dir, p);
  if (hints.jurisdiction !== undefined && p.role !== "admin" && !districts.has(hints.jurisdiction)) {
    throw new DomainFailure("forbidden", `data.jurisdiction: il distretto ${hints.jurisdiction} non è quello per cui opera la credenziale`, { parameter: "data.jurisdiction" });
  }
  const district = unnamed.length === 0 ? undefined : (hints.jurisdiction ?? (districts.size === 1 ? [...districts][0] : undefined));
  const byId = dir.getMany(ids);
  const candidates = district === undefined ? [] : dir.ofKinds(unnamed, district);
  const out: Record<string, Office> = {};
  for (const [role, kind] of entries) {
    const parameter = `data.offices.${role}`;
    const id = named.get(role);
    if (id !== undefined) {
      const office = byId.get(id);
      if (office === undefined) throw new DomainFailure("unknown_office", `${parameter}: ufficio ${id} non presente in rubrica`, { parameter });
      if (office.kind !== kind) throw new DomainFailure("unknown_office", `${parameter}: l'ufficio ${id} non è di tipo ${kind}`, { parameter });
      // Every office named in this event, not just one of them; those already on the case stay.
      if (hints.named[role] !== undefined) requireOwnDistrict(p, districts, office, parameter);
      out[role] = office;
      continue;
    }
    // The district's own office first; a national one where the district has none.
    const ofKind = candidates.filter((o) => o.kind === kind);
    const local = ofKind.filter((o) => o.jurisdiction === district);
    const found = local.length > 0 ? local : ofKind.filter((o) => o.jurisdiction === NATIONAL);
    if (found.length !== 1) {
      throw new DomainFailure(
        "unknown_office",
        `${parameter}: indicare l'ufficio (${found.length === 0 ? "nessun" : "più di un"} ufficio ${kind} per il distretto ${district ?? "non indicato"})`,
        { parameter },
      );
    }
    out[role] = found[0]!;
  }
  return out;
}
