import type { TestProject } from "vitest/node";
import { startFakeResend } from "./server.js";
import { startFakeEndpoints } from "../fake-endpoint/server.js";
import { startFakeQStash } from "../fake-qstash/server.js";
import { startOidcProvider } from "../oidc/server.js";

export default async function setup(project: TestProject) {
  const resend = await startFakeResend();
  const endpoints = await startFakeEndpoints();
  const qstash = await startFakeQStash();
  // Not a fake: a real OpenID provider (node-oidc-provider) on loopback.
  const oidc = await startOidcProvider();
  project.provide("oidcIssuer", oidc.issuer);
  project.provide("oidcRpKey", oidc.rpPrivateJwk);
  project.provide("fakeResendUrl", resend.url);
  project.provide("fakeEndpointsUrl", endpoints.url);
  project.provide("fakeQStashUrl", qstash.url);
  return () => Promise.all([resend, endpoints, qstash, oidc].map(({ server }) => new Promise<void>((r) => server.close(() => r())))).then(() => undefined);
}

declare module "vitest" {
  export interface ProvidedContext {
    fakeResendUrl: string;
    fakeEndpointsUrl: string;
    fakeQStashUrl: string;
    oidcIssuer: string;
    oidcRpKey: string;
  }
}
