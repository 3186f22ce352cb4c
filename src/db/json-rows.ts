/**
 * Rows sent to D1 as one JSON parameter and unpacked by SQLite (json_each):
 * a whole table, or a case's rows, in one statement whatever their number,
 * inside D1's 100 bound parameters per statement. Used to copy the
 * directory into the districts and to move cases into them.
 */
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";

export interface Shape {
  name: string;
  columns: string[];
  key: string[];
}

/** A table's columns and primary key, from its Drizzle declaration; `skip`: columns left out (local state, generated ids). */
export function shapeOf(t: SQLiteTable, skip: readonly string[] = []): Shape {
  const c = getTableConfig(t);
  const single = c.columns.filter((col) => col.primary).map((col) => col.name);
  const key = single.length > 0 ? single : c.primaryKeys[0]!.columns.map((col) => col.name);
  return { name: c.name, columns: c.columns.map((col) => col.name).filter((col) => !skip.includes(col)), key };
}

export const quoted = (id: string) => `"${id}"`;

/** SELECT of the shape's columns (for the JSON that `insertJson` takes back). */
export function selectSql(s: Shape, where: string): string {
  return `SELECT ${s.columns.map(quoted).join(", ")} FROM ${quoted(s.name)} WHERE ${where}`;
}

/**
 * INSERT of every row of the JSON array ?1. "upsert": a row already there is
 * updated in place (never deleted and inserted, so rows naming it stay
 * valid); "ignore": left as it is (a copy that runs again).
 */
export function insertJson(s: Shape, conflict: "upsert" | "ignore"): string {
  const values = s.columns.map((c) => `json_extract(value, '$.${c}')`).join(", ");
  const rest = s.columns.filter((c) => !s.key.includes(c));
  const action = conflict === "ignore" || rest.length === 0 ? "NOTHING" : `UPDATE SET ${rest.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(", ")}`;
  const target = s.key.every((k) => s.columns.includes(k)) ? ` (${s.key.map(quoted).join(", ")})` : "";
  return `INSERT INTO ${quoted(s.name)} (${s.columns.map(quoted).join(", ")}) SELECT ${values} FROM json_each(?1) WHERE true ON CONFLICT${target} DO ${action}`;
}
