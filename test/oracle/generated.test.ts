/** Generated sources match what they are generated from (run the named script when this fails). */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/preview/schema-sql.js";
import { stripSqlComments } from "../../scripts/sql-strip.mjs";
import { timelinesTable } from "../../scripts/timelines-table.js";
import { configTable } from "../../scripts/config-table.js";
import { SETTINGS } from "../../src/config.js";
import { generatedCatalogue } from "../../src/timelines/sources.js";

describe("generated sources", () => {
  it("src/preview/schema-sql.ts holds every migration as it is on disk (npm run schema:sql)", () => {
    const files = readdirSync("migrations").filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
    expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
    for (const m of MIGRATIONS) expect(m.sql, m.name).toBe(stripSqlComments(readFileSync(`migrations/${m.name}`, "utf8")));
  });

  it("src/timelines/catalogue.generated.json is every definition as validated, defaults filled in (npm run catalogue)", () => {
    expect(readFileSync("src/timelines/catalogue.generated.json", "utf8")).toBe(generatedCatalogue());
  });

  it("docs/timelines.md's table of timelines is the catalogue's (npm run timelines:table)", () => {
    expect(readFileSync("docs/timelines.md", "utf8")).toContain(timelinesTable());
  });

  it("docs/operations.md's table of settings is the schema's that checks them (npm run config:table)", () => {
    expect(readFileSync("docs/operations.md", "utf8")).toContain(configTable());
  });

  it("the schema checks every variable wrangler.jsonc sets", () => {
    const vars = Object.keys((JSON.parse(readFileSync("wrangler.jsonc", "utf8").replace(/^\s*\/\/.*$/gm, "")) as { vars: object }).vars);
    expect(vars.filter((v) => !(v in SETTINGS))).toEqual([]);
  });
});
