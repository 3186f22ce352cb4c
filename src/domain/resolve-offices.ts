/**
 * Which offices act in a new timeline: named in the event's data, already
 * on the case, or found in the directory for the district.
 */
import type { Principal } from "../auth/principal.js";
import type { Db } from "../db/client.js";
import { type Office, getOffice, getOffices, officesOfKind } from "../db/directory.js";
import { ApiError } from "../http/problem.js";

interface Hints {
  named: Record<string, string | undefined>;
  jurisdiction: string | undefined;
  onCase: Record<string, string>;
}

async function principalJurisdiction(db: Db, p: Principal): Promise<string | undefined> {
  const mine = await getOffices(db, [...p.offices]);
  const districts = new Set([...mine.values()].map((o) => o.jurisdiction));
  return districts.size === 1 ? [...districts][0] : undefined;
}

/** role → office, for every role the timeline needs. */
export async function resolveOffices(
  db: Db, p: Principal, roles: Record<string, string>, hints: Hints,
): Promise<Record<string, Office>> {
  const out: Record<string, Office> = {};
  const district = hints.jurisdiction ?? (await principalJurisdiction(db, p));
  for (const [role, kind] of Object.entries(roles)) {
    const parameter = `data.offices.${role}`;
    const id = hints.named[role] ?? hints.onCase[role];
    let office: Office | undefined;
    if (id !== undefined) {
      office = await getOffice(db, id);
      if (office === undefined) throw new ApiError("unknown_office", `${parameter}: ufficio ${id} non presente in rubrica`, { parameter });
      if (office.kind !== kind) {
        throw new ApiError("unknown_office", `${parameter}: l'ufficio ${id} non è di tipo ${kind}`, { parameter });
      }
    } else {
      const found = district === undefined ? [] : await officesOfKind(db, kind, district);
      if (found.length !== 1) {
        throw new ApiError(
          "unknown_office",
          `${parameter}: indicare l'ufficio (${found.length === 0 ? "nessun" : "più di un"} ufficio ${kind} per il distretto ${district ?? "non indicato"})`,
          { parameter },
        );
      }
      office = found[0]!;
    }
    out[role] = office;
  }
  return out;
}
