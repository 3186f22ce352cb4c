/**
 * The local state that `npm run dev`, the browser test and the fault runs prepare in one process
 * (scripts/local-d1.mjs) is the one wrangler itself would have made: wrangler finds nothing left
 * to apply on any database, and a second preparation changes nothing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { prepareLocalState, queryLocal } from "../../scripts/local-d1.mjs";

const BINDINGS = ["DB", "DISTRICT_TO", "DISTRICT_MI"];

it("applies every migration to every database of wrangler.jsonc as wrangler records them, once", async () => {
  const state = mkdtempSync(join(tmpdir(), "termini-state-"));
  const migrations = readdirSync("migrations").filter((f) => f.endsWith(".sql")).length;
  const first = await prepareLocalState(state, { seeds: [{ binding: "DB", file: "seeds/demo.sql" }] });
  expect(first).toEqual(BINDINGS.map((binding) => ({ binding, total: migrations, applied: migrations })));
  // Safe to run again (npm run dev does, on every start): nothing applied twice, the demo rows not doubled.
  const offices = async () => (await queryLocal(state, "DB", ["SELECT count(*) AS n FROM offices"]))[0]![0]!.n;
  const before = await offices();
  expect(await prepareLocalState(state, { seeds: [{ binding: "DB", file: "seeds/demo.sql" }] })).toEqual(BINDINGS.map((binding) => ({ binding, total: migrations, applied: 0 })));
  expect(await offices()).toBe(before);
  for (const binding of BINDINGS) {
    const r = spawnSync("npx", ["wrangler", "d1", "migrations", "list", binding, "--local", "--persist-to", state], { encoding: "utf8", timeout: 120_000 });
    expect(`${r.stdout}${r.stderr}`, binding).toContain("No migrations to apply");
  }
});
