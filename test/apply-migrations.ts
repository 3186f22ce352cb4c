import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { database } from "../src/db/client.js";
import { directory } from "../src/db/directory.js";
import { replicateDirectory } from "../src/db/replicate.js";
import type { Bindings } from "../src/env.js";

type Migrations = Parameters<typeof applyD1Migrations>[1];
const bindings = env as unknown as Bindings & { TEST_MIGRATIONS: Migrations; TEST_SCHEMA?: Migrations };

/**
 * Every table and view gone, so the migrations apply from the start. The workers project shares one
 * workerd between files (isolate: false, for the edit–run loop's speed): each file still begins with
 * the databases as a fresh deployment has them, whatever the file before it wrote. Deferred foreign
 * keys, checked at the batch's end when no table is left, let the tables go in any order.
 * The last file's workflows stay in this workerd: they are woken only under their own random ids,
 * which no row of this file carries (one that wakes by its own timer finds nothing and ends). The
 * directory held in memory is read again once the seed is in (below), and a copy one of those
 * workflows loads mid-wipe is never trusted to refuse (src/routes/first-look.ts).
 */
async function wipe(db: D1Database): Promise<void> {
  const { results } = await db.prepare(`SELECT type, name FROM sqlite_master
    WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'`).all<{ type: string; name: string }>();
  if (results.length === 0) return;
  const drops = [...results].sort((a, b) => (a.type === b.type ? 0 : a.type === "view" ? -1 : 1))
    .map((r) => db.prepare(`DROP ${r.type === "view" ? "VIEW" : "TABLE"} "${r.name.replaceAll('"', '""')}"`));
  await db.batch([db.prepare("PRAGMA defer_foreign_keys = on"), ...drops]);
}

// The central database gets the demo directory; in the district layout each district's database
// gets the schema, then its copy of the directory.
await wipe(env.DB);
await applyD1Migrations(env.DB, bindings.TEST_MIGRATIONS);
if (bindings.TEST_SCHEMA !== undefined) {
  await wipe(env.DISTRICT_TO);
  await wipe(env.DISTRICT_MI);
  await applyD1Migrations(env.DISTRICT_TO, bindings.TEST_SCHEMA);
  await applyD1Migrations(env.DISTRICT_MI, bindings.TEST_SCHEMA);
  await replicateDirectory(bindings);
}
// The directory in memory (the last file's, up to a minute old) replaced by this file's.
await directory(database(env.DB, null));
