/**
 * Imports go one way: the edge (src/http, src/routes, src/web, the app) knows the core, never the
 * reverse. The core's refusals are DomainFailure (src/domain/failure.ts), with no HTTP status; a
 * core module that reached for ApiError, a route helper or a page — itself or through a helper it
 * imports (auth, lib, outbound…) — would make the domain speak HTTP again. madge finds circles;
 * this follows every runtime import from each core file, circle or not. Type-only imports are
 * erased at build time and carry no behaviour: they are not followed.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { expect, it } from "vitest";

const CORE = ["src/domain", "src/db", "src/engine", "src/timelines"];
const EDGE = ["src/http", "src/routes", "src/web", "src/app.ts", "src/index.ts"];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

/** The source file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx`). */
function resolve(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec)).replace(/\.js$/, "");
  return [`${base}.ts`, `${base}.tsx`, base].find((p) => existsSync(p) && statSync(p).isFile());
}

/** Every module a file imports, re-exports or loads at run time (not `import type`/`export type`). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/gms)].map((m) => m[1]!),
    ...[...text.matchAll(/^\s*import\s*["'](\.{1,2}\/[^"']+)["']/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g)].map((m) => m[1]!),
  ];
  return specs.flatMap((s) => resolve(file, s) ?? []);
}

const inside = (path: string, area: string) => path === area || path.startsWith(`${area}/`);
const isEdge = (path: string) => EDGE.some((area) => inside(path, area));

/** For each core file that reaches the edge, the chain of imports that gets there. */
function outwardChains(): string[] {
  const found: string[] = [];
  for (const start of CORE.flatMap(sources)) {
    const seen = new Map<string, string | null>([[start, null]]);
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (isEdge(file)) {
        const chain = [file];
        for (let at = seen.get(file); at !== null && at !== undefined; at = seen.get(at)) chain.unshift(at);
        found.push(chain.join(" → "));
        break;
      }
      for (const next of runtimeImports(file)) if (!seen.has(next)) { seen.set(next, file); queue.push(next); }
    }
  }
  return found;
}

it("keeps the core from reaching the edge, directly or through what it imports", () => {
  expect(outwardChains()).toEqual([]);
});

it("reads imports the way the scan needs: values followed, types not, files resolved", () => {
  // On files known to import across folders, so that an empty answer above cannot come from a scan that sees nothing.
  const seen = runtimeImports("src/domain/events/apply-event.ts");
  expect(seen).toContain("src/domain/failure.ts");
  expect(seen.some((p) => p.startsWith("src/db/"))).toBe(true);
  // auth/principal.ts is imported by the domain for the Principal type and for values: only the values count.
  expect(runtimeImports("src/domain/cases/case-lookup.ts")).toContain("src/auth/principal.ts");
  expect(runtimeImports("src/auth/principal.ts")).not.toContain("src/db/directory.ts"); // `import type` only
  expect(runtimeImports("src/app.ts").some(isEdge)).toBe(true);
});

it("lets the database layer use the domain only for its failure type", () => {
  const reached = sources("src/db").flatMap(runtimeImports).filter((p) => inside(p, "src/domain"));
  expect([...new Set(reached)]).toEqual(["src/domain/failure.ts"]);
});
