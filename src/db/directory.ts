/** The office directory: who acts, and whom each office escalates to. */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client.js";
import { offices } from "./schema.js";

export type Office = typeof offices.$inferSelect;

export async function getOffice(db: Db, id: string): Promise<Office | undefined> {
  return db.select().from(offices).where(eq(offices.id, id)).get();
}

export async function getOffices(db: Db, ids: readonly string[]): Promise<Map<string, Office>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(offices).where(inArray(offices.id, [...ids])).all();
  return new Map(rows.map((o) => [o.id, o]));
}

/** National offices (the Ministry, the Dipartimento) have jurisdiction IT. */
export const NATIONAL = "IT";

/** Offices of these kinds in a district, and national ones. */
export async function officesOfKinds(db: Db, kinds: readonly string[], jurisdiction: string): Promise<Office[]> {
  if (kinds.length === 0) return [];
  return db.select().from(offices)
    .where(and(inArray(offices.kind, [...kinds]), inArray(offices.jurisdiction, [jurisdiction, NATIONAL]))).all();
}

/**
 * The escalation chain above an office, nearest first, up to `levels`
 * steps: chain[0] is the office it escalates to. One recursive query; a
 * cycle in the directory ends the chain.
 */
export async function escalationChain(db: Db, from: Office, levels: number): Promise<Office[]> {
  if (levels === 0 || from.escalatesTo === null) return [];
  const rows = await db.all<OfficeRow & { lvl: number }>(sql`
    WITH RECURSIVE chain(id, lvl) AS (
      SELECT ${from.escalatesTo}, 1
      UNION ALL
      SELECT o.escalates_to, chain.lvl + 1 FROM offices o JOIN chain ON o.id = chain.id
      WHERE o.escalates_to IS NOT NULL AND chain.lvl < ${levels}
    )
    SELECT o.*, chain.lvl FROM chain JOIN offices o ON o.id = chain.id ORDER BY chain.lvl`);
  const chain: Office[] = [];
  const seen = new Set([from.id]);
  for (const r of rows) {
    if (seen.has(r.id)) break;
    seen.add(r.id);
    chain.push(fromRow(r));
  }
  return chain;
}

interface OfficeRow {
  id: string;
  kind: string;
  name: string;
  jurisdiction: string;
  calendar: string;
  emails: string;
  fallback_email: string;
  escalates_to: string | null;
  region: string;
  ref_pattern: string | null;
}

const fromRow = (r: OfficeRow): Office => ({
  id: r.id, kind: r.kind, name: r.name, jurisdiction: r.jurisdiction, calendar: r.calendar,
  emails: JSON.parse(r.emails) as string[], fallbackEmail: r.fallback_email, escalatesTo: r.escalates_to, region: r.region,
  refPattern: r.ref_pattern,
});

/** The offices that may see a case of `officeIds`: those offices and every office above them. */
export async function withSuperiors(db: Db, officeIds: readonly string[]): Promise<Set<string>> {
  const all = new Set<string>();
  let frontier = [...officeIds];
  while (frontier.length > 0) {
    const found = await getOffices(db, frontier);
    frontier = [];
    for (const o of found.values()) {
      all.add(o.id);
      if (o.escalatesTo !== null && !all.has(o.escalatesTo)) frontier.push(o.escalatesTo);
    }
  }
  return all;
}

/** Every office of a kind, in every district. */
export async function allOfficesOfKind(db: Db, kind: string): Promise<Office[]> {
  return db.select().from(offices).where(eq(offices.kind, kind)).orderBy(offices.id).all();
}

/** The offices whose escalation chain reaches any of these: a head of office oversees them. */
export async function officesBelow(db: Db, officeIds: readonly string[]): Promise<string[]> {
  const all = await db.select({ id: offices.id, up: offices.escalatesTo }).from(offices).all();
  const up = new Map(all.map((o) => [o.id, o.up]));
  const heads = new Set(officeIds);
  return all.filter((o) => {
    const seen = new Set<string>();
    for (let at = up.get(o.id) ?? null; at !== null && !seen.has(at); at = up.get(at) ?? null) {
      if (heads.has(at)) return true;
      seen.add(at);
    }
    return false;
  }).map((o) => o.id);
}
