#!/usr/bin/env node
/**
 * npm test's check that worker-configuration.d.ts is current: `wrangler types --check` compares the
 * hash of wrangler.jsonc (and the runtime) recorded in the file with the configuration's now, offline.
 * A stale file (a variable or binding added without `npm run types`) fails the run with the command
 * that fixes it.
 */
import { spawnSync } from "node:child_process";
import { offlineWranglerEnv } from "./wrangler-offline.mjs";

const r = spawnSync("npx", ["wrangler", "types", "--strict-vars=false", "--check"], { encoding: "utf8", env: { ...process.env, ...offlineWranglerEnv() } });
if (r.status !== 0) {
  process.stderr.write(`${r.stdout}${r.stderr}\nworker-configuration.d.ts is stale: run \`npm run types\` and commit it.\n`);
  process.exit(1);
}
