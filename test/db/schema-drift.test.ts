/**
 * The Drizzle schema (what the code queries) and the SQL migrations (what
 * D1 holds) cannot drift apart: the tables, their columns (type, NOT NULL,
 * primary key, default), their indexes (columns in order, unique, partial
 * condition) and their unique constraints that the migrations build here
 * must be exactly those the schema declares.
 */
import { env } from "cloudflare:workers";
import { is } from "drizzle-orm";
import { SQLiteSyncDialect, SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema.js";

interface Column { type: string; notNull: boolean; pk: boolean; default: string | null }
interface Index { columns: string[]; unique: boolean; where: string | null }
interface Table { columns: Record<string, Column>; indexes: Record<string, Index> }

const dialect = new SQLiteSyncDialect();

/**
 * NOT NULL columns added by ALTER TABLE, which SQLite allows only with a
 * default: the code always sets them, so the schema leaves the default out
 * (an insert that forgot one would not compile).
 */
const ALTER_DEFAULTS: Record<string, string> = { "case_offices.case_created_at": "0", "deadlines.started_at_ms": "0", "cases.last_activity_at": "0" };
const norm = (sql: string) => sql.replace(/["`]/g, "").replace(/\s+/g, " ").trim().toLowerCase();

/** What the Drizzle schema declares, in the same shape as what SQLite reports. */
function declared(): Record<string, Table> {
  const out: Record<string, Table> = {};
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const c = getTableConfig(value);
    const pk = new Set(c.primaryKeys.flatMap((k) => k.columns.map((col) => col.name)));
    const columns: Record<string, Column> = {};
    for (const col of c.columns) {
      const d = col.default;
      columns[col.name] = {
        type: col.getSQLType().toUpperCase(), notNull: col.notNull || col.primary, pk: col.primary || pk.has(col.name),
        default: d === undefined ? null : typeof d === "string" ? norm(`'${d}'`) : typeof d === "object" && d !== null ? norm(dialect.sqlToQuery(d as never).sql) : String(d),
      };
    }
    const indexes: Record<string, Index> = {};
    for (const i of c.indexes) {
      const where = i.config.where === undefined ? null : norm(dialect.sqlToQuery(i.config.where).sql.replace(/"[a-z_]+"\./g, ""));
      indexes[i.config.name] = { columns: i.config.columns.map((col) => (col as { name: string }).name), unique: i.config.unique, where };
    }
    for (const col of c.columns) if (col.isUnique) indexes[`unique:${col.name}`] = { columns: [col.name], unique: true, where: null };
    for (const u of c.uniqueConstraints) indexes[`unique:${u.columns.map((col) => col.name).join(",")}`] = { columns: u.columns.map((col) => col.name), unique: true, where: null };
    out[c.name] = { columns, indexes };
  }
  return out;
}

/** What the migrations built in this D1. */
async function built(): Promise<Record<string, Table>> {
  const out: Record<string, Table> = {};
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'")
    .all<{ name: string }>();
  for (const { name } of tables.results) {
    const cols = await env.DB.prepare(`SELECT name, type, "notnull" AS nn, pk, dflt_value AS d FROM pragma_table_info(?)`).bind(name).all<{ name: string; type: string; nn: number; pk: number; d: string | null }>();
    const columns: Record<string, Column> = {};
    for (const c of cols.results) {
      const d = c.d === null || ALTER_DEFAULTS[`${name}.${c.name}`] === c.d ? null : norm(c.d);
      columns[c.name] = { type: c.type.toUpperCase(), notNull: c.nn === 1 || (c.pk > 0 && cols.results.filter((x) => x.pk > 0).length === 1), pk: c.pk > 0, default: d };
    }
    const list = await env.DB.prepare("SELECT name, \"unique\" AS u, origin, partial FROM pragma_index_list(?)").bind(name).all<{ name: string; u: number; origin: string; partial: number }>();
    const indexes: Record<string, Index> = {};
    for (const i of list.results) {
      if (i.origin === "pk") continue;
      const info = await env.DB.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").bind(i.name).all<{ name: string }>();
      const names = info.results.map((r) => r.name);
      if (i.origin === "u") {
        indexes[`unique:${names.join(",")}`] = { columns: names, unique: true, where: null };
        continue;
      }
      const sql = (await env.DB.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").bind(i.name).first<{ sql: string }>())!.sql;
      const where = i.partial === 1 ? norm(sql.slice(sql.search(/\bWHERE\b/i) + 5)) : null;
      indexes[i.name] = { columns: names, unique: i.u === 1, where };
    }
    out[name] = { columns, indexes };
  }
  return out;
}

/** Every difference between the two, one line each: what the schema says against what the migrations built. */
function differences(part: "columns" | "indexes", d: Record<string, Table>, b: Record<string, Table>): string[] {
  const out: string[] = [];
  for (const table of Object.keys(b)) {
    const [ours, theirs] = [d[table]?.[part] ?? {}, b[table]![part]];
    for (const name of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      const [x, y] = [JSON.stringify(ours[name] ?? null), JSON.stringify(theirs[name] ?? null)];
      if (x !== y) out.push(`${table}.${name}: schema ${x}, migrations ${y}`);
    }
  }
  return out;
}

describe("the Drizzle schema and the migrations", () => {
  it("declare the same tables", async () => {
    expect(Object.keys(declared()).sort()).toEqual(Object.keys(await built()).sort());
  });

  it("declare the same columns: type, NOT NULL, primary key and default", async () => {
    expect(differences("columns", declared(), await built())).toEqual([]);
  });

  it("declare the same indexes and unique constraints, columns in order, with the same partial condition", async () => {
    expect(differences("indexes", declared(), await built())).toEqual([]);
  });
});
