/**
 * Imports go one way: the edge (src/http, src/routes, src/web, the app) knows the core, never the
 * reverse. The core's refusals are DomainFailure (src/domain/failure.ts), with no HTTP status; a
 * core module that reached for ApiError, a route helper or a page would make the domain speak HTTP
 * again. madge finds circles; this finds a core file looking outward, circle or not.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { expect, it } from "vitest";

const CORE = ["src/domain", "src/db", "src/engine", "src/timelines"];
const EDGE = ["src/http", "src/routes", "src/web", "src/app.ts", "src/index.ts"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** Every relative module a file imports, re-exports or loads dynamically, as a path under the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, ".ts"));
}

const inside = (path: string, area: string) => path === area || path.replace(/\.tsx?$/, ".ts") === area || path.startsWith(`${area}/`);

function outwardImports(): string[] {
  return CORE.flatMap(sources).flatMap((file) =>
    importsOf(file).filter((target) => EDGE.some((area) => inside(target, area))).map((target) => `${file} → ${relative(".", target)}`));
}

it("keeps the core from importing the edge", () => {
  expect(outwardImports()).toEqual([]);
});

it("sees an outward import when there is one", () => {
  // The scan itself is checked on a file known to import across folders, so an empty answer above
  // cannot come from a pattern that matches nothing.
  const seen = importsOf("src/domain/events/apply-event.ts");
  expect(seen).toContain("src/domain/failure.ts");
  expect(seen.some((p) => p.startsWith("src/db/"))).toBe(true);
  expect(EDGE.some((area) => inside("src/http/problem.ts", area))).toBe(true);
  expect(EDGE.some((area) => inside("src/app.ts", area))).toBe(true);
});

it("lets the database layer use the domain only for its failure type", () => {
  const reached = sources("src/db").flatMap(importsOf).filter((p) => inside(p, "src/domain"));
  expect([...new Set(reached)]).toEqual(["src/domain/failure.ts"]);
});
