/**
 * Counts the D1 rows a request reads and writes, its statements, its calls
 * and how many of those calls ran one after another, for the ingestion
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

export interface Tally {
  read: number;
  written: number;
  /** Statements executed (a batch of five counts five). */
  queries: number;
  /** Calls to D1 (a batch counts once). */
  calls: number;
  /** Calls that began when no other was in flight: the sequential round trips. */
  sequential: number;
  inFlight: number;
  /** Milliseconds spent in calls (overlapping calls each count their own). */
  ms: number;
}

/** Tallies counted into together: the request's, and one database's when they are told apart. */
type Tallies = Tally | readonly Tally[];
const each = (t: Tallies): readonly Tally[] => (Array.isArray(t) ? t : [t as Tally]);

/** One call to D1, timed against the others of the request. */
async function call<T>(t: Tallies, f: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (const x of each(t)) {
    x.calls++;
    if (x.inFlight++ === 0) x.sequential++;
  }
  try {
    return await f();
  } finally {
    for (const x of each(t)) {
      x.inFlight--;
      x.ms += Date.now() - started;
    }
  }
}

function add(t: Tallies, meta: { rows_read?: number; rows_written?: number } | undefined): void {
  for (const x of each(t)) {
    x.read += meta?.rows_read ?? 0;
    x.written += meta?.rows_written ?? 0;
    x.queries++;
  }
}

const UNWRAP = Symbol("statement");

function wrapStatement(stmt: D1PreparedStatement, sql: string, t: Tallies): D1PreparedStatement {
  const wrapped = {
    [UNWRAP]: stmt,
    bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), sql, t),
    run: () => call(t, async () => {
      const r = await stmt.run();
      add(t, r.meta);
      return r;
    }),
    all: () => call(t, async () => {
      const r = await stmt.all();
      add(t, r.meta);
      return r;
    }),
    first: (column?: string) => call(t, async () => {
      const r = await stmt.all();
      add(t, r.meta);
      const row = r.results[0] as Record<string, unknown> | undefined;
      return column === undefined ? (row ?? null) : (row?.[column] ?? null);
    }),
    raw: (options?: { columnNames?: boolean }) => call(t, async () => {
      if (/^\s*select/i.test(sql)) add(t, (await stmt.all()).meta);
      return stmt.raw(options as { columnNames: true });
    }),
  };
  return wrapped as unknown as D1PreparedStatement;
}

/** A D1 that counts into `t` (also used by the capacity benchmark outside a request). */
export function meter(db: D1Database, t: Tallies): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql), sql, t);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => call(t, async () => {
          const results = await target.batch(stmts.map((s) => (s as unknown as { [UNWRAP]: D1PreparedStatement })[UNWRAP] ?? s));
          for (const r of results) add(t, r.meta);
          return results;
        });
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export const newTally = (): Tally => ({ read: 0, written: 0, queries: 0, calls: 0, sequential: 0, inFlight: 0, ms: 0 });

export const d1Meter = createMiddleware<AppEnv>(async (c, next) => {
  if ((c.env as { D1_METER?: string }).D1_METER !== "1" || c.req.header("X-D1-Meter") !== "1") return next();
  const t = newTally();
  // The central database and every district's: the request's tally, and each database's own.
  const bindings = ["DB", ...Object.keys(c.env).filter((k) => k.startsWith("DISTRICT_"))];
  const own = new Map(bindings.map((b) => [b, newTally()]));
  c.env = { ...c.env, ...Object.fromEntries(bindings.map((b) => [b, meter((c.env as unknown as Record<string, D1Database>)[b]!, [t, own.get(b)!])])) };
  await next();
  c.res.headers.set("X-D1-Rows-Read", String(t.read));
  c.res.headers.set("X-D1-Rows-Written", String(t.written));
  c.res.headers.set("X-D1-Queries", String(t.queries));
  c.res.headers.set("X-D1-Calls", String(t.calls));
  c.res.headers.set("X-D1-Sequential", String(t.sequential));
  // Per database, those it used: "DB rows=12 queries=3 ms=4, DISTRICT_TO rows=…".
  c.res.headers.set("X-D1-Databases", [...own].filter(([, x]) => x.calls > 0).map(([b, x]) => `${b} rows=${x.read} queries=${x.queries} ms=${x.ms}`).join(", "));
});
