/**
 * Where a district's cases live. A national deployment gives each judicial
 * district (Corte d'appello) its own D1 database, bound as DISTRICT_<code>
 * where <code> is the offices' `jurisdiction` (DISTRICT_TO for Turin): its
 * cases, events, deadlines, notifications, counters, outbound webhooks and
 * their audit never leave it, and each database stays small and serves its
 * district's writes alone. The central database (DB) keeps what is
 * national: the directory, users and sessions, credentials, report
 * versions and the administrators' audit; and, as the national "district"
 * (IT), the few cases national offices own (the reports to Parliament).
 *
 * DISTRICTS lists the districts a deployment runs ("TO,MI"); empty, every
 * case stays in DB: the single-database layout, unchanged.
 */
import type { Bindings } from "../env.js";
import { DomainFailure } from "../domain/failure.js";
import { type Db, database } from "./client.js";
import { type Directory, NATIONAL } from "./directory.js";

const PREFIX = "DISTRICT_";
/** A district code as the directory writes it: two capital letters (TO, MI, RM…). */
const CODE = /^[A-Z]{2}$/;

function isD1(v: unknown): v is D1Database {
  return typeof v === "object" && v !== null && typeof (v as D1Database).prepare === "function" && typeof (v as D1Database).batch === "function";
}

/** The codes DISTRICTS lists ("TO,MI"; empty: the single-database layout). */
function listedDistricts(env: Pick<Bindings, "DISTRICTS">): string[] {
  return (env.DISTRICTS ?? "").split(",").map((c) => c.trim()).filter((c) => c !== "");
}

/** Why the district layout is not usable as configured, or null. */
export function districtMisconfiguration(env: Bindings): string | null {
  for (const code of listedDistricts(env)) {
    if (!CODE.test(code) || code === NATIONAL) return `DISTRICTS: ${code} non è la sigla di un distretto (due lettere maiuscole, non ${NATIONAL})`;
    if (!isD1((env as unknown as Record<string, unknown>)[PREFIX + code])) return `DISTRICTS: manca il database ${PREFIX}${code} del distretto ${code}`;
  }
  return null;
}

const layouts = new WeakMap<object, Map<string, D1Database>>();

/** The district databases this deployment runs (DISTRICTS, each bound as DISTRICT_<code>); empty: the single-database layout. */
export function districtDatabases(env: Bindings): ReadonlyMap<string, D1Database> {
  let found = layouts.get(env);
  if (found === undefined) {
    found = new Map();
    for (const code of listedDistricts(env)) {
      const value = (env as unknown as Record<string, unknown>)[PREFIX + code];
      if (CODE.test(code) && code !== NATIONAL && isD1(value)) found.set(code, value);
    }
    layouts.set(env, found);
  }
  return found;
}

export function isDistrictLayout(env: Bindings): boolean {
  return districtDatabases(env).size > 0;
}

/** The district codes this deployment serves, sorted, the national one (central) included; [] in the single-database layout. */
export function districtCodes(env: Bindings): string[] {
  const codes = [...districtDatabases(env).keys()];
  return codes.length === 0 ? [] : [...codes, NATIONAL].sort();
}

function served(env: Bindings, code: string): D1Database | undefined {
  return code === NATIONAL ? env.DB : districtDatabases(env).get(code);
}

/**
 * The database holding a district's cases. No district (null: a workflow
 * started before the deployment had districts) is the central database. In
 * the district layout a district without a database of its own is a
 * configuration error, never a silent write to the central database.
 */
function districtD1(env: Bindings, district: string | null | undefined): D1Database {
  if (!isDistrictLayout(env) || district === null || district === undefined) return env.DB;
  const d1 = served(env, district);
  if (d1 === undefined) {
    console.error(JSON.stringify({ level: "error", action: "district.unbound", district: district ?? null }));
    throw new DomainFailure("service_misconfigured", `Distretto ${district ?? "non indicato"}: nessun database configurato (DISTRICT_${district ?? "?"})`);
  }
  return d1;
}

/** The same, through Drizzle, carrying its district so that workflows started from it know where to read. */
export function districtDb(env: Bindings, district: string | null | undefined): Db {
  return database(districtD1(env, district), isDistrictLayout(env) ? (district ?? NATIONAL) : null, env.DB);
}

/** Every database that holds cases, each with its district (null: the single database). */
export function caseDbs(env: Bindings): Db[] {
  if (!isDistrictLayout(env)) return [database(env.DB, null)];
  return districtCodes(env).map((code) => database(served(env, code)!, code, env.DB));
}

/**
 * The central database: the directory, users, credentials, report versions; in the district
 * layout also the national district's cases, so it names that district (a case written through
 * it is checked against it like any other: see insertCase).
 */
export function centralDb(env: Bindings): Db {
  return database(env.DB, isDistrictLayout(env) ? NATIONAL : null);
}

/**
 * The databases of these districts (all of them for "all"). A code this
 * deployment does not serve holds no case: it is left out, not an error.
 */
export function dbsFor(env: Bindings, codes: readonly string[] | "all"): Db[] {
  if (!isDistrictLayout(env) || codes === "all") return caseDbs(env);
  return [...new Set(codes)].filter((c) => served(env, c) !== undefined).sort().map((code) => database(served(env, code)!, code, env.DB));
}

/**
 * The databases that hold these offices' cases, each with the offices it
 * serves ("all": every database, every office). In the single-database
 * layout, one entry with every office.
 */
export function officeDbs(env: Bindings, dir: Directory, officeIds: readonly string[] | "all"): { db: Db; offices: string[] | "all" }[] {
  if (officeIds === "all") return caseDbs(env).map((db) => ({ db, offices: "all" as const }));
  if (!isDistrictLayout(env)) return [{ db: database(env.DB, null), offices: [...officeIds] }];
  const groups = new Map<string, string[]>();
  for (const id of officeIds) {
    const code = dir.get(id)?.jurisdiction;
    if (code !== undefined && served(env, code) !== undefined) groups.set(code, [...(groups.get(code) ?? []), id]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, offices]) => ({ db: database(served(env, code)!, code, env.DB), offices }));
}

/** Per isolate: whether the central database still held district cases when last asked, and when. */
let legacy: { at: number; holds: boolean } | undefined;
const LEGACY_CHECK_MS = 60_000;

/**
 * The central database while it still holds cases of districts that have
 * their own database (the move from the single layout is under way or
 * pending): events and case reads look there too, so no case goes missing
 * meanwhile. Asked at most once a minute per isolate; null once moved.
 */
export async function legacyCentral(env: Bindings, now: number): Promise<Db | null> {
  if (!isDistrictLayout(env)) return null;
  if (legacy === undefined || now - legacy.at > LEGACY_CHECK_MS) {
    // A duplicate an administrator withdrew stays behind for good (case_ref_review): it does not count.
    const row = await env.DB.prepare(`SELECT EXISTS (SELECT 1 FROM cases c JOIN offices o ON o.id = c.owner_office_id WHERE o.jurisdiction <> ?1
      AND c.id NOT IN (SELECT case_id FROM case_ref_review WHERE resolved_at IS NOT NULL)) AS holds`)
      .bind(NATIONAL).first<{ holds: number }>();
    legacy = { at: now, holds: row?.holds === 1 };
  }
  return legacy.holds ? database(env.DB, NATIONAL) : null;
}

/** These databases, and the central one too while the move is pending (a case may still be there). */
export async function plusLegacy(env: Bindings, dbs: readonly Db[], now: number): Promise<Db[]> {
  const old = await legacyCentral(env, now);
  return old === null || dbs.some((d) => d.district === old.district) ? [...dbs] : [...dbs, old];
}
