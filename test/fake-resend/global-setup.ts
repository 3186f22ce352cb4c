import type { TestProject } from "vitest/node";
import { startFakeResend } from "./server.js";

export default async function setup(project: TestProject) {
  const { server, url } = await startFakeResend();
  project.provide("fakeResendUrl", url);
  return () => new Promise<void>((r) => server.close(() => r()));
}

declare module "vitest" {
  export interface ProvidedContext {
    fakeResendUrl: string;
  }
}
