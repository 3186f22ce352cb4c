/**
 * A real OpenID provider on loopback for the tests: node-oidc-provider (an OpenID-certified
 * implementation), with fictional accounts and a one-step login page. Three clients, as a
 * deployment would register Termini: private_key_jwt, a client secret, and a SPID-like one
 * (fiscal number, acr level 2, signed request objects).
 *
 * Faults a broken or hostile provider could produce are switched on through /__control/fault:
 * its token answer re-signed with another key under the same kid, with the nonce changed, or
 * already expired; and key rotation (a new signing key, published beside the old one).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import Provider from "oidc-provider";

const FISCAL_CLAIM = "https://attributes.eid.gov.it/fiscal_number";
const SPID_L2 = "https://www.spid.gov.it/SpidL2";
const CLIENT_SECRET = "termini-test-client-secret-0123456789";

/** The fictional people the provider knows; the demo directory has accounts for most of them. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  "op-procura": { email: "operatore.procura@example.org", email_verified: true },
  procuratore: { email: "procuratore@example.org", email_verified: true },
  regione: { email: "funzionario.regione@example.org", email_verified: true },
  ministero: { email: "funzionario.ministero@example.org", email_verified: true },
  amministratore: { email: "amministratore@example.org", email_verified: true },
  dpo: { email: "protezione.dati@example.org", email_verified: true },
  sconosciuto: { email: "nessuno@example.org", email_verified: true },
  "non-verificato": { email: "operatore.procura@example.org", email_verified: false },
  // A SPID identity: the fiscal number only (fictional, well-formed).
  "spid-procura": { [FISCAL_CLAIM]: "TINIT-RSSMRA85T10A562S" },
};

type Fault = "none" | "wrong-key" | "wrong-nonce" | "expired" | "rotated";

export interface OidcPeer {
  issuer: string;
  /** The relying party's private key (Termini's OIDC_PRIVATE_KEY), JSON. */
  rpPrivateJwk: string;
  server: Server;
}

const CALLBACK_BASES = ["http://localhost:8787", "http://localhost:8795"];

export async function startOidcProvider(): Promise<OidcPeer> {
  const signing = await generateKeyPair("ES256", { extractable: true });
  const next = await generateKeyPair("ES256", { extractable: true });
  const forged = await generateKeyPair("ES256", { extractable: true });
  const rp = await generateKeyPair("ES256", { extractable: true });
  const k1 = { ...(await exportJWK(signing.privateKey)), kid: "op-1", alg: "ES256", use: "sig" };
  const k2 = { ...(await exportJWK(next.privateKey)), kid: "op-2", alg: "ES256", use: "sig" };
  const rpPublic = { ...(await exportJWK(rp.publicKey)), kid: "termini-test-1", alg: "ES256", use: "sig" };
  const rpPrivate = { ...(await exportJWK(rp.privateKey)), kid: "termini-test-1" };
  let fault: Fault = "none";

  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirects = (id: string) => CALLBACK_BASES.map((b) => `${b}/accedi/oidc/${id}/callback`);
  const logouts = CALLBACK_BASES.map((b) => `${b}/accedi?uscita=1`);

  const provider = new Provider(issuer, {
    clients: [
      { client_id: "termini", token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "ES256", jwks: { keys: [rpPublic as never] },
        redirect_uris: [...redirects("prova"), ...redirects("ristretto")], post_logout_redirect_uris: logouts, grant_types: ["authorization_code"], response_types: ["code"], id_token_signed_response_alg: "ES256" },
      { client_id: "termini-segreto", client_secret: CLIENT_SECRET, token_endpoint_auth_method: "client_secret_basic",
        redirect_uris: redirects("segreto"), post_logout_redirect_uris: logouts, grant_types: ["authorization_code"], response_types: ["code"], id_token_signed_response_alg: "ES256" },
      { client_id: "termini-spid", token_endpoint_auth_method: "private_key_jwt", token_endpoint_auth_signing_alg: "ES256", jwks: { keys: [rpPublic as never] },
        request_object_signing_alg: "ES256", require_signed_request_object: true,
        redirect_uris: redirects("spid"), post_logout_redirect_uris: logouts, grant_types: ["authorization_code"], response_types: ["code"], id_token_signed_response_alg: "ES256" },
    ],
    jwks: { keys: [k1 as never] },
    async findAccount(_ctx: unknown, id: string) {
      if (ACCOUNTS[id] === undefined) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...ACCOUNTS[id] }) };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], [FISCAL_CLAIM]: null },
    acrValues: [SPID_L2, "urn:termini:test:basso"],
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      requestObjects: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["termini-test-cookie-key"] },
    clientAuthMethods: ["private_key_jwt", "client_secret_basic", "client_secret_post"],
  });
  provider.on("server_error", (_ctx: unknown, err: unknown) => console.error("oidc-provider:", err));

  // A provider gone wrong, as the relying party would see it.
  provider.use(async (ctx: { path: string; method: string; status: number; body: unknown }, nxt: () => Promise<void>) => {
    await nxt();
    if (ctx.path === "/jwks" && fault === "rotated") {
      ctx.body = { keys: [publicOf(k2), publicOf(k1)] };
    }
    if (ctx.path === "/token" && ctx.method === "POST" && ctx.status === 200 && fault !== "none") {
      const body = ctx.body as { id_token: string };
      const claims = decodeJwt(body.id_token);
      const header = decodeProtectedHeader(body.id_token);
      const now = Math.floor(Date.now() / 1000);
      const changed = fault === "wrong-nonce" ? { ...claims, nonce: "un-altro-nonce" } : fault === "expired" ? { ...claims, iat: now - 7200, exp: now - 3600 } : claims;
      const key = fault === "wrong-key" ? forged.privateKey : fault === "rotated" ? await importJWK(k2, "ES256") : await importJWK(k1, "ES256");
      const kid = fault === "rotated" ? "op-2" : header.kid!;
      ctx.body = { ...body, id_token: await new SignJWT(changed).setProtectedHeader({ alg: "ES256", kid, typ: header.typ }).sign(key) };
    }
  });

  const callback = provider.callback();
  server.on("request", async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    try {
      if (url.pathname === "/__control/fault" && req.method === "POST") {
        fault = (url.searchParams.get("fault") ?? "none") as Fault;
        res.writeHead(204).end();
        return;
      }
      const m = /^\/interaction\/([\w-]+)$/.exec(url.pathname);
      if (m !== null && req.method === "GET") {
        const details = await provider.interactionDetails(req, res);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(loginPage(details.uid, String(details.params.client_id)));
        return;
      }
      if (m !== null && req.method === "POST") {
        const form = new URLSearchParams(await bodyOf(req));
        const details = await provider.interactionDetails(req, res);
        const accountId = form.get("login") ?? "";
        const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
        grant.addOIDCScope(String(details.params.scope ?? "openid"));
        const claimsParam = details.params.claims === undefined ? {} : JSON.parse(String(details.params.claims)) as { id_token?: Record<string, unknown> };
        grant.addOIDCClaims(Object.keys(claimsParam.id_token ?? {}));
        const grantId = await grant.save();
        const acr = form.get("acr") ?? undefined;
        await provider.interactionFinished(req, res, { login: { accountId, ...(acr ? { acr } : {}) }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      callback(req, res);
    } catch (e) {
      res.writeHead(400, { "Content-Type": "text/plain" }).end(e instanceof Error ? e.message : "errore");
    }
  });
  return { issuer, rpPrivateJwk: JSON.stringify(rpPrivate), server };
}

function publicOf(jwk: JWK & { kid: string }): JWK {
  const { d: _d, ...pub } = jwk;
  return pub;
}

function bodyOf(req: import("node:http").IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.on("data", (c: Buffer) => { s += c.toString("utf8"); });
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}

/** The provider's login page: a fictional identity chosen from a list (and, for SPID, the level). */
function loginPage(uid: string, client: string): string {
  const options = Object.keys(ACCOUNTS).map((a) => `<option value="${a}">${a}</option>`).join("");
  const acr = client === "termini-spid" ? `<label for="acr">Livello</label><select id="acr" name="acr"><option value="${SPID_L2}">SPID livello 2</option><option value="urn:termini:test:basso">livello basso</option></select>` : "";
  return `<!doctype html><html lang="it"><head><title>Fornitore di identità di prova</title></head><body><main><h1>Fornitore di identità di prova</h1>
<form method="post" action="/interaction/${uid}"><label for="login">Identità</label><select id="login" name="login">${options}</select>${acr}<button type="submit">Entra</button></form></main></body></html>`;
}
