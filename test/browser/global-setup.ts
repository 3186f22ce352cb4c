/**
 * One `wrangler dev` for every browser test file (they run one after the other): starting a server
 * per file would cost more than the tests. Each file reaches it at inject("browserBase"). Beside it,
 * a real OpenID provider (node-oidc-provider on loopback) that the dev server trusts as "prova".
 */
import type { TestProject } from "vitest/node";
import { startOidcProvider } from "../oidc/server.js";
import { startDevServer } from "./server.js";

export default async function setup(project: TestProject) {
  const oidc = await startOidcProvider();
  const providers = [{ id: "prova", name: "Identità di prova", issuer: oidc.issuer, clientId: "termini", match: "email", roles: ["operator", "head", "admin", "region", "ministry", "dpo"] }];
  const server = await startDevServer(8795, ["--var", `OIDC_PROVIDERS:${JSON.stringify(providers)}`, "--var", `OIDC_PRIVATE_KEY:${oidc.rpPrivateJwk}`]);
  project.provide("browserBase", server.base);
  return async () => {
    await server.stop();
    await new Promise<void>((r) => oidc.server.close(() => r()));
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    browserBase: string;
  }
}
