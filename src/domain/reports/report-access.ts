/**
 * Who may read, generate and submit which report. Ministry officers see the
 * country and any region; a region officer only its region; the offices
 * concerned their own compliance data. Reports never carry case references.
 */
import type { Principal } from "../../auth/principal.js";
import type { Db } from "../../db/client.js";
import { directory } from "../../db/directory.js";
import { offices } from "../../db/schema.js";
import { eq } from "drizzle-orm";
import { DomainFailure } from "../failure.js";
import type { ReportKind } from "../../stats/report.js";

export interface ScopeQuery { region?: string; office?: string; district?: string }

const forbidden = (why: string) => new DomainFailure("forbidden", why);
const missing = (parameter: string) => new DomainFailure("missing_parameter", `${parameter}: indicare l'ambito del rapporto`, { parameter });
/** A scope the directory does not hold is no report at all: 404, never generated or stored. */
const unknown = (parameter: string, what: string) => new DomainFailure("not_found", `${parameter}: ${what} non presente in rubrica`, { parameter });

/** A scope is stored with every version and named in file names: only what the directory holds. */
async function known(db: Db, column: "region" | "jurisdiction", value: string): Promise<boolean> {
  const row = await db.select({ id: offices.id }).from(offices).where(eq(offices[column], value)).limit(1).get();
  return row !== undefined;
}

export async function reportScope(db: Db, p: Principal, kind: ReportKind, q: ScopeQuery): Promise<string> {
  const wide = p.role === "admin" || p.role === "ministry";
  const dir = await directory(db);
  const mine = [...dir.getMany(p.offices).values()];
  switch (kind) {
    case "national":
      if (!wide) throw forbidden("La relazione nazionale è riservata al Ministero");
      return "IT";
    case "regional": {
      const region = q.region ?? p.region ?? undefined;
      if (region === undefined) throw missing("region");
      if (!(await known(db, "region", region))) throw unknown("region", `regione ${region.slice(0, 60)}`);
      if (!wide && !(p.role === "region" && p.region === region)) throw forbidden(`La relazione della regione ${region} non è tra quelle consentite`);
      return region;
    }
    case "compliance-quarterly": {
      const office = q.office ?? mine.find((o) => o.kind === "procura")?.id;
      if (office === undefined) throw missing("office");
      const target = dir.get(office);
      if (target === undefined || target.kind !== "procura") throw unknown("office", `Procura ${office.slice(0, 64)}`);
      const pg = target !== undefined && mine.some((o) => o.kind === "pg-appello" && o.jurisdiction === target.jurisdiction);
      if (!wide && !p.offices.has(office) && !pg) throw forbidden("I dati trimestrali di questa Procura non sono consentiti");
      return office;
    }
    case "compliance-half-yearly": {
      const district = q.district ?? mine.find((o) => o.kind === "pg-appello")?.jurisdiction;
      if (district === undefined) throw missing("district");
      if (!(await known(db, "jurisdiction", district))) throw unknown("district", `distretto ${district}`);
      if (!wide && !mine.some((o) => o.kind === "pg-appello" && o.jurisdiction === district)) throw forbidden("La relazione di questo distretto non è consentita");
      return district;
    }
  }
}
