/** Shared by the district-layout tests (wrangler.jsonc: the central database, Turin's and Milan's). */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll } from "vitest";
import { idleWorkflows } from "../backbone/helpers.js";

/** Every database of the layout that can hold cases. */
export const caseD1s = () => [env.DB, env.DISTRICT_TO, env.DISTRICT_MI];

/** One `SELECT count(*) AS n …` on one database. */
export const count = async (d1: D1Database, sql: string, ...args: unknown[]) => (await d1.prepare(sql).bind(...args).first<{ n: number }>())!.n;

/** For a file whose tests drive delivery with the sweep: workflows idle throughout, and every database's timelines ended after. */
export function idleInEveryDatabase(): void {
  let spy: { dispose(): Promise<void> } | undefined;
  beforeAll(async () => {
    spy = await idleWorkflows(caseD1s());
  });
  afterAll(async () => {
    await spy?.dispose();
  });
}
