/**
 * One way to make a router (src/http/router.ts): every router is typed with the app's bindings and
 * variables, none written by hand, so a handler never loses the environment's types.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

it("makes every router with createRouter()", () => {
  const handMade = sources("src").filter((f) => f !== join("src", "http", "router.ts") && f !== join("src", "app.ts"))
    .filter((f) => /new Hono\b/.test(readFileSync(f, "utf8")));
  expect(handMade).toEqual([]);
});
