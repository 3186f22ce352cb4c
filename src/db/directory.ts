/** The office directory: who acts, and whom each office escalates to. */
import { and, eq, inArray } from "drizzle-orm";
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

export async function officesOfKind(db: Db, kind: string, jurisdiction: string): Promise<Office[]> {
  return db.select().from(offices).where(and(eq(offices.kind, kind), eq(offices.jurisdiction, jurisdiction))).all();
}

/**
 * The office `levels` steps up the escalation chain, or undefined where the
 * chain ends first. Cycles in the directory end the walk too.
 */
export async function escalationTarget(db: Db, from: Office, levels: number): Promise<Office | undefined> {
  let office: Office | undefined = from;
  const seen = new Set([from.id]);
  for (let i = 0; i < levels && office !== undefined; i++) {
    const next: string | null = office.escalatesTo;
    if (next === null || seen.has(next)) return undefined;
    seen.add(next);
    office = await getOffice(db, next);
  }
  return office;
}

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
