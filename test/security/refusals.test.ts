/**
 * The same refusals for every route, driven by the route contracts and the app's own route list, so
 * a new route gets them without anyone remembering (unkey's common tests, here from /openapi.json's
 * sources): behind a credential, none, a malformed one and a revoked one are 401 with
 * WWW-Authenticate; a report reader's credential never reaches a case or an administrator's route;
 * a signed request's route refuses an unsigned one; every web form refuses a post without its CSRF
 * token, whoever is signed in.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { sha256Hex } from "../../src/lib/digest.js";
import { CONTRACTS } from "../../src/routes/contracts.js";
import { api } from "../backbone/helpers.js";
import { signedIn } from "../web/browser.js";

const REVOKED = "refusals-revoked-token-0001";
const REGION = "termini-local-regione-token";
/** A value for each path parameter a route names: well formed, so that only the credential decides. */
const SAMPLE: Record<string, string> = {
  ref: "1234/2026", id: "procura-torino", kind: "compliance-quarterly", period: "2026-Q1", caseId: "3f6c2a1e-8b7d-4c5e-9f0a-1b2c3d4e5f60", delivery: "msg_x.sub_x",
  provider: "prova", file: "x", delivery_id: "x",
};
const fill = (path: string) => path.replace(/\{(\w+)\}|:(\w+)(\{[^}]*\})?/g, (_, a?: string, b?: string) => encodeURIComponent(SAMPLE[(a ?? b)!] ?? "x"));

beforeAll(async () => {
  await env.DB.prepare("INSERT OR IGNORE INTO api_credentials (id, name, token_hash, role, created_at, revoked_at) VALUES ('t-refusals-revoked', 'revocata', ?, 'staff', 0, 1)")
    .bind(await sha256Hex(REVOKED)).run();
});

const bearerRoutes = CONTRACTS.filter((c) => c.security === "bearer");

describe("every route behind a credential", () => {
  for (const c of bearerRoutes) {
    const path = fill(c.path);
    it(`${c.method.toUpperCase()} ${c.path}: 401 with no credential, a malformed one or a revoked one`, async () => {
      for (const token of [null, "x", REVOKED]) {
        const res = await api(c.method.toUpperCase(), path, { token, body: c.method === "get" ? undefined : {} });
        expect(res.status, `${token ?? "none"}`).toBe(401);
        expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
        expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="termini"/);
      }
    });
    // Report readers read reports: every other route refuses them, before anything is read or changed.
    if (!c.path.startsWith("/api/v1/reports/")) {
      it(`${c.method.toUpperCase()} ${c.path}: refused to a region's credential`, async () => {
        const res = await api(c.method.toUpperCase(), path, { token: REGION, body: c.method === "get" ? undefined : {} });
        expect([403, 404], await res.clone().text()).toContain(res.status);
      });
    }
  }
});

describe("every signed route", () => {
  for (const c of CONTRACTS.filter((x) => x.security === "webhook" || x.security === "qstash")) {
    it(`${c.method.toUpperCase()} ${c.path}: 401 without its signature`, async () => {
      const res = await api("POST", c.path, { token: null, body: {} });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("webhook_signature_missing");
    });
  }
});

describe("every web form", () => {
  const forms = [...new Set(createApp().routes.filter((r) => r.method === "POST" && !/^\/(api|webhooks)\//.test(r.path)).map((r) => r.path))].sort();
  let admin: Awaited<ReturnType<typeof signedIn>>;
  beforeAll(async () => { admin = await signedIn("amministratore@example.org"); });
  it("is known: the app has web forms", () => expect(forms.length).toBeGreaterThan(20));
  for (const path of forms) {
    it(`POST ${path}: refuses a post without its CSRF token, signed in as an administrator`, async () => {
      const res = await admin.go(fill(path), { form: { nome: "x" } });
      expect(res.status, `${res.status} ${(await res.clone().text()).slice(0, 300)}`).toBe(403);
    });
  }
});
