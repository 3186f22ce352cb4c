#!/usr/bin/env node
/**
 * npm run db:create — creates every D1 database of wrangler.jsonc (the central one and each
 * district's) in the EU jurisdiction: the database then runs and stores its data only in the
 * European Union (Cloudflare, D1 "Data location"). A jurisdiction can only be chosen when a
 * database is created, never added later, so this is the one way Termini's databases are made.
 * Prints each id to put in wrangler.jsonc. `--print` only shows the commands.
 */
import { spawnSync } from "node:child_process";
import { unstable_readConfig } from "wrangler";

export const JURISDICTION = "eu";

export function createCommands(config = unstable_readConfig({ config: "wrangler.jsonc" })) {
  return config.d1_databases.map((d) => ["wrangler", "d1", "create", d.database_name, "--jurisdiction", JURISDICTION]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const cmd of createCommands()) {
    console.log(`$ npx ${cmd.join(" ")}`);
    if (process.argv.includes("--print")) continue;
    const r = spawnSync("npx", cmd, { stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
