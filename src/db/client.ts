import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.js";

function drizzleOf(d1: D1Database) {
  return drizzle(d1, { schema });
}

/**
 * Drizzle over one D1 database, with the district whose cases it holds
 * (null: the central database, or the only one): a workflow started from
 * it is told where its timeline lives. A district's own database also
 * carries the central one, whose directory it holds a copy of (see
 * replicate.ts: a copy found behind is brought up to date before writing).
 */
export type Db = ReturnType<typeof drizzleOf> & { readonly district: string | null; readonly central?: D1Database };

export function database(d1: D1Database, district: string | null = null, central?: D1Database): Db {
  return Object.assign(drizzleOf(d1), { district, ...(central === undefined || central === d1 ? {} : { central }) });
}
/** D1 binds at most 100 parameters per statement: lists of ids go in groups of 90, leaving room for a few more. */
export function boundGroups<T>(xs: readonly T[], size = 90): T[][] {
  return Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));
}
