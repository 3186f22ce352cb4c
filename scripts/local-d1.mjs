/**
 * The local D1 databases of a `wrangler dev` state, all in one process: the migrations applied to
 * each database the configuration declares, one database after the other, and recorded as
 * `wrangler d1 migrations apply --local` records them (its `d1_migrations` table, so either can
 * carry on after the other); the demo directory; queries.
 *
 * One process for every database because separate `wrangler d1` runs on one state race: the
 * databases are separate SQLite files but share the state's metadata, and two runs at once failed
 * with SQLITE_BUSY on a busy machine. One process is also one runtime start instead of one per
 * database and per seed. The files are where `wrangler dev --persist-to <state>` looks
 * (`<state>/v3/d1`, by each database's id), as in `wrangler d1 execute --local`.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { experimental_readRawConfig, unstable_splitSqlQuery } from "wrangler";

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** The D1 databases the configuration declares: binding → { id, migrations }. */
function declared(config) {
  const { rawConfig } = experimental_readRawConfig({ config });
  const dir = resolve(config, "..");
  return new Map((rawConfig.d1_databases ?? []).map((d) => [d.binding, {
    id: d.preview_database_id ?? d.database_id ?? d.binding,
    migrations: resolve(dir, d.migrations_dir ?? "migrations"),
  }]));
}

/** Another process holding the state's files (a running `wrangler dev`) makes SQLite answer busy for a moment. */
const BUSY = /SQLITE_BUSY|database is locked/;
const ATTEMPTS = 8;

/**
 * Opens the state's databases (`bindings`: all the configuration declares by default), gives
 * `use` a function returning each one's D1 binding, and closes them whatever happens. Every
 * `use` here is safe to run again (each batch is all or nothing), so a busy state is retried,
 * a bounded number of times, with growing pauses.
 */
async function withLocalD1(state, use, { config = "wrangler.jsonc", bindings } = {}) {
  const all = declared(config);
  const names = bindings ?? [...all.keys()];
  for (const b of names) if (!all.has(b)) throw new Error(`${config} declares no D1 database ${b}`);
  for (let attempt = 1; ; attempt++) {
    const mf = new Miniflare({
      modules: true, script: "export default {}",
      d1Persist: join(resolve(state), "v3", "d1"),
      d1Databases: Object.fromEntries(names.map((b) => [b, all.get(b).id])),
    });
    try {
      return await use((b) => mf.getD1Database(b), (b) => all.get(b));
    } catch (e) {
      if (attempt >= ATTEMPTS || !BUSY.test(String(e?.message ?? e))) throw e;
      console.error(`local D1 busy (${attempt}/${ATTEMPTS}), trying again`);
      await new Promise((r) => setTimeout(r, Math.min(4000, 250 * 2 ** attempt)));
    } finally {
      await mf.dispose();
    }
  }
}

/** SQL text (statements separated by semicolons, triggers whole) as one batch. */
function runSql(d1, sql) {
  return d1.batch(unstable_splitSqlQuery(sql).filter((s) => s.trim() !== "").map((s) => d1.prepare(s)));
}

/** The migrations not yet applied to one database, applied in order, each in one batch with its record. */
async function migrate(d1, dir) {
  await d1.prepare(MIGRATIONS_TABLE).run();
  const done = new Set((await d1.prepare("SELECT name FROM d1_migrations").all()).results.map((r) => r.name));
  const files = readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
  const todo = files.filter((f) => !done.has(f));
  for (const name of todo) {
    // The migration and its record together: a migration that fails leaves neither.
    await runSql(d1, `${readFileSync(join(dir, name), "utf8")}\n;INSERT INTO d1_migrations (name) VALUES ('${name}');`);
  }
  return { total: files.length, applied: todo.length };
}

/**
 * Brings every database of the state up to date, then runs each `seeds` file (SQL safe to apply
 * again) on its database. Returns one summary per database: { binding, total, applied }.
 */
export async function prepareLocalState(state, { config = "wrangler.jsonc", bindings, seeds = [] } = {}) {
  const names = bindings ?? [...declared(config).keys()];
  const open = [...new Set([...names, ...seeds.map((s) => s.binding)])];
  return withLocalD1(state, async (db, info) => {
    const out = [];
    for (const binding of names) out.push({ binding, ...(await migrate(await db(binding), info(binding).migrations)) });
    for (const { binding, file } of seeds) await runSql(await db(binding), readFileSync(file, "utf8"));
    return out;
  }, { config, bindings: open });
}

/** The rows of each statement, run in one batch on one database of the state. */
export async function queryLocal(state, binding, sqls, { config = "wrangler.jsonc" } = {}) {
  return withLocalD1(state, async (db) => {
    const d1 = await db(binding);
    return (await d1.batch(sqls.map((s) => d1.prepare(s)))).map((r) => r.results);
  }, { config, bindings: [binding] });
}

/** Runs SQL text (statements separated by semicolons, as in a .sql file) on one database of the state, in one batch. */
export async function executeLocal(state, binding, sql, { config = "wrangler.jsonc" } = {}) {
  await withLocalD1(state, async (db) => runSql(await db(binding), sql), { config, bindings: [binding] });
}
