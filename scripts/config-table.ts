/**
 * npm run config:table — docs/operations.md's table of settings, from the schema that checks them
 * (src/config.ts). A test keeps that copy equal to it.
 */
import { SETTINGS } from "../src/config.js";

export function configTable(): string {
  const rows = Object.entries(SETTINGS).map(([name, s]) => `| \`${name}\` | ${s.kind} | ${s.doc} |`);
  return ["| name | kind | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

if (process.argv[1]?.endsWith("config-table.ts")) console.log(configTable());
