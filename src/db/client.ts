import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.js";

export type Db = ReturnType<typeof database>;

export function database(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** D1 binds at most 100 parameters per statement: lists of ids go in groups of 90, leaving room for a few more. */
export function boundGroups<T>(xs: readonly T[], size = 90): T[][] {
  return Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));
}
