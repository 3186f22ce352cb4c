import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { replicateDirectory } from "../src/db/replicate.js";
import type { Bindings } from "../src/env.js";

type Migrations = Parameters<typeof applyD1Migrations>[1];
const bindings = env as unknown as Bindings & { TEST_MIGRATIONS: Migrations; TEST_SCHEMA?: Migrations };

// Idempotent: applied once per test file's isolated storage. The central database gets the demo
// directory; in the district layout each district's database gets the schema, then its copy of the directory.
await applyD1Migrations(env.DB, bindings.TEST_MIGRATIONS);
if (bindings.TEST_SCHEMA !== undefined) {
  await applyD1Migrations(env.DISTRICT_TO, bindings.TEST_SCHEMA);
  await applyD1Migrations(env.DISTRICT_MI, bindings.TEST_SCHEMA);
  await replicateDirectory(bindings);
}
