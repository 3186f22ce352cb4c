/**
 * Sign-in through an OpenID provider, against a real one (node-oidc-provider on loopback): the
 * whole code flow with each client authentication, and every answer that must not sign anyone in.
 */
import { env } from "cloudflare:workers";
import { and, count, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog, sessions, users } from "../../src/db/schema.js";
import { fiscalDigest } from "../../src/web/oidc-signin.js";
import type { Bindings } from "../../src/env.js";
import { db, fetchWith } from "../backbone/helpers.js";
import { Browser, pageText } from "../web/browser.js";
import { oidcSettings, setFault, throughProvider } from "./oidc-flow.js";
import { csrfOf } from "../web/csrf.js";

const settings = oidcSettings();

async function lastRefusal(): Promise<unknown> {
  const rows = await db().select().from(auditLog).where(eq(auditLog.action, "signin.refused")).all();
  return rows.at(-1)?.detail;
}

/** Whether this browser now has a session: the dashboard answers instead of sending to /accedi. */
async function signedIn(b: Browser): Promise<boolean> {
  const res = await b.go("/");
  return res.status === 200;
}

afterEach(() => setFault("none"));

describe("a sign-in through the provider", () => {
  it("with private_key_jwt: the person is matched by address, gets a session, and the log says through which provider", async () => {
    const { browser, callback } = await throughProvider(settings, "prova", "op-procura");
    const res = await browser.go(callback);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
    expect(await signedIn(browser)).toBe(true);
    const row = await db().select().from(auditLog).where(and(eq(auditLog.action, "signin.completed"), eq(auditLog.actor, "user:u-procura"))).all();
    expect(row.at(-1)?.detail).toEqual({ provider: "prova", providerName: "Identità di prova" });
    const [s] = await db().select().from(sessions).where(eq(sessions.provider, "prova")).all();
    expect(s?.userId).toBe("u-procura");
  });

  it("with a client secret", async () => {
    const { browser, callback } = await throughProvider(settings, "segreto", "amministratore");
    expect((await browser.go(callback)).status).toBe(303);
    expect(await signedIn(browser)).toBe(true);
  });

  it("SPID-like: a signed request object, level 2 required, the person matched by the digest of the fiscal number", async () => {
    await db().update(users).set({ fiscalHash: await fiscalDigest(env as Bindings, "rssmra85t10a562s") }).where(eq(users.id, "u-procura")).run();
    const ok = await throughProvider(settings, "spid", "spid-procura", { acr: "https://www.spid.gov.it/SpidL2" });
    expect((await ok.browser.go(ok.callback)).status).toBe(303);
    expect(await signedIn(ok.browser)).toBe(true);
    // The table holds the digest only, never the number.
    const [u] = await db().select().from(users).where(eq(users.id, "u-procura")).all();
    expect(u!.fiscalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(u)).not.toContain("RSSMRA");
    // A lower level than the one required: refused.
    const low = await throughProvider(settings, "spid", "spid-procura", { acr: "urn:termini:test:basso" });
    const res = await low.browser.go(low.callback);
    expect(res.status).toBe(403);
    expect(pageText(await res.text())).toContain("livello di autenticazione");
    expect(await signedIn(low.browser)).toBe(false);
  });

  it("follows the provider's key rotation: a token signed with a new key is checked against the keys read again", async () => {
    const first = await throughProvider(settings, "prova", "procuratore");
    expect((await first.browser.go(first.callback)).status).toBe(303);
    await setFault("rotated");
    const after = await throughProvider(settings, "prova", "procuratore");
    expect((await after.browser.go(after.callback)).status).toBe(303);
    expect(await signedIn(after.browser)).toBe(true);
  });
});

describe("an answer that signs nobody in", () => {
  it("a wrong state", async () => {
    const { browser, callback } = await throughProvider(settings, "prova", "op-procura");
    const res = await browser.go(callback.replace(/state=[^&]+/, "state=uno-stato-diverso-da-quello-inviato"));
    expect(res.status).toBe(400);
    expect(await signedIn(browser)).toBe(false);
    expect(await lastRefusal()).toEqual({ provider: "prova", reason: "state" });
  });

  it("an answer brought to another browser (no state cookie)", async () => {
    const { callback } = await throughProvider(settings, "prova", "op-procura");
    const other = new Browser(settings);
    expect((await other.go(callback)).status).toBe(400);
    expect(await signedIn(other)).toBe(false);
  });

  it("a replayed code: the second use is refused", async () => {
    const { browser, callback } = await throughProvider(settings, "prova", "op-procura");
    const state = new URLSearchParams(callback.split("?")[1]).get("state")!;
    expect((await browser.go(callback)).status).toBe(303);
    // The same answer again, from a browser holding the same state cookie.
    const again = new Browser(settings);
    again.cookies.set("termini_oidc", state);
    expect((await again.go(callback)).status).toBe(400);
    expect(await signedIn(again)).toBe(false);
    expect(await lastRefusal()).toEqual({ provider: "prova", reason: "state" });
  });

  for (const [fault, reason] of [["wrong-nonce", "nonce"], ["expired", "expired"], ["wrong-key", "signature"]] as const) {
    it(`an ID token ${fault === "wrong-nonce" ? "with another nonce" : fault === "expired" ? "already expired" : "signed with a key that is not the provider's"}`, async () => {
      const { browser, callback } = await throughProvider(settings, "prova", "op-procura");
      await setFault(fault);
      const res = await browser.go(callback);
      expect(res.status).toBe(400);
      expect(await signedIn(browser)).toBe(false);
      expect(await lastRefusal()).toEqual({ provider: "prova", reason });
    });
  }

  it("an unknown person: no account is created; the page offers to leave the provider's session to use another identity", async () => {
    const [before] = await db().select({ n: count() }).from(users).all();
    const { browser, callback } = await throughProvider(settings, "prova", "sconosciuto");
    const res = await browser.go(callback);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(pageText(html)).toContain("Nessun utente di Termini corrisponde");
    expect(html).toContain('href="/accedi/oidc/prova/esci"');
    const leave = await browser.go("/accedi/oidc/prova/esci");
    expect(new URL(leave.headers.get("Location")!).pathname).toBe("/session/end");
    const [after] = await db().select({ n: count() }).from(users).all();
    expect(after!.n).toBe(before!.n);
    expect(await signedIn(browser)).toBe(false);
  });

  it("an address the provider has not verified", async () => {
    const { browser, callback } = await throughProvider(settings, "prova", "non-verificato");
    expect((await browser.go(callback)).status).toBe(403);
    expect(await lastRefusal()).toEqual({ provider: "prova", reason: "claim_missing" });
  });

  it("a person whose offices the provider may not sign in; one whose it may", async () => {
    const outside = await throughProvider(settings, "ristretto", "procuratore");
    expect((await outside.browser.go(outside.callback)).status).toBe(403);
    expect(await lastRefusal()).toEqual({ provider: "ristretto", reason: "not_allowed" });
    const inside = await throughProvider(settings, "ristretto", "op-procura");
    expect((await inside.browser.go(inside.callback)).status).toBe(303);
  });

  it("a disabled account", async () => {
    await db().update(users).set({ disabledAt: Date.now() }).where(eq(users.id, "u-ministero")).run();
    try {
      const { browser, callback } = await throughProvider(settings, "prova", "ministero");
      expect((await browser.go(callback)).status).toBe(403);
    } finally {
      await db().update(users).set({ disabledAt: null }).where(eq(users.id, "u-ministero")).run();
    }
  });
});

describe("a client that starts too many sign-ins", () => {
  it("is answered 429 past the limit, nothing recorded for the excess", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 20; i++) expect((await new Browser(settings, ip).go("/accedi/con/prova")).status).toBe(303);
    const over = await new Browser(settings, ip).go("/accedi/con/prova");
    expect(over.status).toBe(429);
    // Another client is not held back.
    expect((await new Browser(settings, "203.0.113.78").go("/accedi/con/prova")).status).toBe(303);
  });

  it("an unknown provider's name is not written into the log", async () => {
    const before = (await db().select().from(auditLog).where(eq(auditLog.action, "signin.refused")).all()).length;
    expect((await new Browser(settings).go(`/accedi/con/${"x".repeat(300)}`)).status).toBe(404);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "signin.refused")).all()).length).toBe(before);
  });
});

describe("sign-out", () => {
  it("ends the session here and sends the browser to the provider's own sign-out, then back", async () => {
    const { browser, callback } = await throughProvider(settings, "prova", "regione");
    await browser.go(callback);
    const csrf = csrfOf(await (await browser.go("/relazioni")).text());
    const res = await browser.go("/esci", { form: { csrf } });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get("Location")!);
    expect(to.pathname).toBe("/session/end");
    expect(to.searchParams.get("client_id")).toBe("termini");
    expect(to.searchParams.get("post_logout_redirect_uri")).toBe("http://localhost:8787/accedi?uscita=1");
    expect(await signedIn(browser)).toBe(false);
    const open = await db().select().from(sessions).where(and(eq(sessions.provider, "prova"), eq(sessions.userId, "u-regione"), isNull(sessions.revokedAt))).all();
    expect(open).toEqual([]);
    // The provider knows the address it is sent back to.
    const page = await fetch(to);
    expect(page.status).toBe(200);
  });
});

describe("the deployment's choices", () => {
  it("the sign-in page offers each provider, and the email link unless it is turned off", async () => {
    const both = pageText(await (await fetchWith(settings, "/accedi")).text());
    expect(both).toContain("Accedi con Identità di prova");
    expect(both).toContain("Invia il link di accesso");
    const off = oidcSettings({ EMAIL_SIGNIN: "off" });
    const only = pageText(await (await fetchWith(off, "/accedi")).text());
    expect(only).toContain("Accedi con SPID");
    expect(only).not.toContain("Invia il link di accesso");
    const refused = await fetchWith(off, "/accedi", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://termini.test" }, body: "email=operatore.procura%40example.org" });
    expect(refused.status).toBe(404);
  });

  it("refuses to serve with the email link off and no provider, or a provider without its key", async () => {
    const none = await fetchWith({ EMAIL_SIGNIN: "off" } as Partial<Bindings>, "/healthz");
    expect(none.status).toBe(503);
    expect(await none.text()).toContain("EMAIL_SIGNIN");
    const keyless = await fetchWith(oidcSettings({ OIDC_PRIVATE_KEY: "" }), "/healthz");
    expect(keyless.status).toBe(503);
    expect(await keyless.text()).toContain("OIDC_PRIVATE_KEY");
    const wrong = await fetchWith({ OIDC_PROVIDERS: '[{"id":"x"}]' } as Partial<Bindings>, "/healthz");
    expect(wrong.status).toBe(503);
    expect(await wrong.text()).toContain("OIDC_PROVIDERS");
  });

  it("publishes the public half of its key, never the private one", async () => {
    const res = await fetchWith(settings, "/oidc/jwks.json");
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: "termini-test-1", kty: "EC", use: "sig", alg: "ES256" });
    expect(keys[0]!.d).toBeUndefined();
  });
});
