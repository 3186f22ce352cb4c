/**
 * One `wrangler dev` for every browser test file (they run one after the other): starting a server
 * per file would cost more than the tests. Each file reaches it at inject("browserBase").
 */
import type { TestProject } from "vitest/node";
import { startDevServer } from "./server.js";

export default async function setup(project: TestProject) {
  const server = await startDevServer(8795);
  project.provide("browserBase", server.base);
  return () => server.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    browserBase: string;
  }
}
