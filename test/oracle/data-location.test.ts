/**
 * Every D1 database Termini creates is created in the EU jurisdiction (it can be chosen only at
 * creation): `npm run db:create` asks for it for each database of wrangler.jsonc, and neither the
 * README nor docs/ ever tells anyone to create one without it.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script, no types
import { createCommands } from "../../scripts/create-databases.mjs";

describe("where the databases live", () => {
  it("db:create makes each database of wrangler.jsonc with --jurisdiction eu", () => {
    const cmds = createCommands() as string[][];
    expect(cmds.map((c) => c[3])).toEqual(["termini", "termini-to", "termini-mi"]);
    for (const c of cmds) expect(c.slice(0, 3).concat(c.slice(4))).toEqual(["wrangler", "d1", "create", "--jurisdiction", "eu"]);
  });

  it("the README and docs/ create no database without the jurisdiction", () => {
    const texts = ["README.md", ...readdirSync("docs").filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
    const lines = texts.flatMap((f) => readFileSync(f, "utf8").split("\n")).filter((l) => /d1 create /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toContain("--jurisdiction eu");
  });
});
