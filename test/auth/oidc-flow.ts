/** Driving a sign-in through the real OpenID provider of test/oidc/server.ts, as a browser would. */
import { inject } from "vitest";
import type { Bindings } from "../../src/env.js";
import { Browser } from "../web/browser.js";

const issuer = () => inject("oidcIssuer");

/** Providers as a deployment would configure them, all pointing at the test provider. */
export function oidcSettings(extra: Partial<Record<string, string>> = {}): Partial<Bindings> {
  const common = { issuer: issuer(), roles: ["operator", "head", "admin", "region", "ministry", "dpo"] };
  return {
    OIDC_PRIVATE_KEY: inject("oidcRpKey"),
    OIDC_PROVIDERS: JSON.stringify([
      { ...common, id: "prova", name: "Identità di prova", clientId: "termini", match: "email" },
      { ...common, id: "segreto", name: "Identità di prova (segreto)", clientId: "termini-segreto", auth: "client_secret_basic", clientSecretVar: "OIDC_SECRET_PROVA", match: "email" },
      { ...common, id: "ristretto", name: "Identità della Procura di Torino", clientId: "termini", match: "email", roles: ["operator", "head"], offices: ["procura-torino"] },
      { ...common, id: "spid", name: "SPID", clientId: "termini-spid", match: "fiscal_number", acrValues: ["https://www.spid.gov.it/SpidL2"], requestObject: true, scope: "openid" },
    ]),
    OIDC_SECRET_PROVA: "termini-test-client-secret-0123456789",
    ...extra,
  } as Partial<Bindings>;
}

/** The provider's side: its cookies kept, its redirects followed by hand. */
class ProviderJar {
  cookies = new Map<string, string>();
  async go(url: string, init: { form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
    if (init.form) headers["Content-Type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, { method: init.form ? "POST" : "GET", headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  }
}

export interface Started {
  browser: Browser;
  /** The provider's answer to Termini, as a path on Termini (…/callback?code=…&state=…). */
  callback: string;
}

/**
 * Starts a sign-in at Termini, signs in at the provider as `login` (a fictional account of
 * test/oidc/server.ts), and returns where the provider sends the browser back — not yet followed.
 */
export async function throughProvider(settings: Partial<Bindings>, provider: string, login: string, opts: { acr?: string; browser?: Browser } = {}): Promise<Started> {
  // A client address of its own for each sign-in: the per-client limit is tested on its own.
  const browser = opts.browser ?? new Browser(settings, `198.51.100.${Math.floor(Math.random() * 250) + 1}`);
  const start = await browser.go(`/accedi/con/${provider}?dopo=/`);
  if (start.status !== 303) throw new Error(`the start answered ${start.status}: ${await start.text()}`);
  const jar = new ProviderJar();
  let res = await jar.go(start.headers.get("Location")!);
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get("Location");
    if (location === null) throw new Error(`the provider answered ${res.status}: ${await res.text()}`);
    const url = new URL(location, issuer());
    if (url.pathname.endsWith("/callback") && url.origin !== new URL(issuer()).origin) return { browser, callback: url.pathname + url.search };
    if (/^\/interaction\//.test(url.pathname)) {
      await jar.go(url.toString());
      res = await jar.go(url.toString(), { form: { login, ...(opts.acr ? { acr: opts.acr } : {}) } });
    } else {
      res = await jar.go(url.toString());
    }
  }
  throw new Error("too many redirects at the provider");
}

export async function setFault(fault: "none" | "wrong-key" | "wrong-nonce" | "expired" | "rotated"): Promise<void> {
  await fetch(`${issuer()}/__control/fault?fault=${fault}`, { method: "POST" });
}
