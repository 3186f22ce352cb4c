/**
 * Counts the D1 rows a request reads and writes, for the ingestion
 * benchmark. Active only when the deployment sets D1_METER=1 (the
 * benchmark's `wrangler dev --var`) and the request asks for it with
 * `X-D1-Meter: 1`; the figures come back in response headers.
 *
 * D1 reports rows in each result's `meta`, but Drizzle reads selects
 * through `raw()`, which drops it: a metered select is therefore run a
 * second time through `all()` to read its meta. Writes are counted from
 * their own results and never run twice.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.js";

interface Tally {
  read: number;
  written: number;
  queries: number;
}

function add(t: Tally, meta: { rows_read?: number; rows_written?: number } | undefined): void {
  t.read += meta?.rows_read ?? 0;
  t.written += meta?.rows_written ?? 0;
  t.queries++;
}

const UNWRAP = Symbol("statement");

function wrapStatement(stmt: D1PreparedStatement, sql: string, t: Tally): D1PreparedStatement {
  const wrapped = {
    [UNWRAP]: stmt,
    bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), sql, t),
    async run() {
      const r = await stmt.run();
      add(t, r.meta);
      return r;
    },
    async all() {
      const r = await stmt.all();
      add(t, r.meta);
      return r;
    },
    async first(column?: string) {
      const r = await stmt.all();
      add(t, r.meta);
      const row = r.results[0] as Record<string, unknown> | undefined;
      return column === undefined ? (row ?? null) : (row?.[column] ?? null);
    },
    async raw(options?: { columnNames?: boolean }) {
      if (/^\s*select/i.test(sql)) add(t, (await stmt.all()).meta);
      return stmt.raw(options as { columnNames: true });
    },
  };
  return wrapped as unknown as D1PreparedStatement;
}

function meter(db: D1Database, t: Tally): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql), sql, t);
      if (prop === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          const results = await target.batch(stmts.map((s) => (s as unknown as { [UNWRAP]: D1PreparedStatement })[UNWRAP] ?? s));
          for (const r of results) add(t, r.meta);
          return results;
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export const d1Meter = createMiddleware<AppEnv>(async (c, next) => {
  if ((c.env as { D1_METER?: string }).D1_METER !== "1" || c.req.header("X-D1-Meter") !== "1") return next();
  const t: Tally = { read: 0, written: 0, queries: 0 };
  c.env = { ...c.env, DB: meter(c.env.DB, t) };
  await next();
  c.res.headers.set("X-D1-Rows-Read", String(t.read));
  c.res.headers.set("X-D1-Rows-Written", String(t.written));
  c.res.headers.set("X-D1-Queries", String(t.queries));
});
