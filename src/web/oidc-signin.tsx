/**
 * Sign-in through an institution's OpenID provider. The browser goes to the provider with a fresh
 * state (also in a cookie, so an answer started in another browser is refused), nonce and PKCE
 * verifier; the answer is taken once; the person is matched to an existing account by the
 * provider's identifying claim, and must hold a role and offices the provider may sign in.
 * Nobody gets an account by signing in.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv, Bindings } from "../env.js";
import { hmacHex, sha256Hex } from "../lib/digest.js";
import { type OidcProvider, normalFiscalNumber } from "../auth/oidc-config.js";
import { type RelyingParty, type SigningKey, SignInRefused, authorizationUrl, completeSignIn, endSessionUrl, importSigningKey, newAttempt, publicJwk } from "../auth/oidc.js";
import { config } from "../config.js";
import { isLocal } from "../deployment.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { oidcAttempts, userOffices, users } from "../db/schema.js";
import { Layout } from "./layout.js";
import { Alert } from "./ui.js";
import { acceptInvitation, endSession, safeNext, startSession } from "./session.js";
import { withinClientLimit } from "./signin-limit.js";
import { createRouter } from "../http/router.js";

export const oidcSignIn = createRouter();

const STATE_COOKIE = "termini_oidc";
const ATTEMPT_MINUTES = 10;
/** Locally, a fixed key is enough to digest fiscal numbers: nothing it protects leaves the machine. */
const LOCAL_IDENTITY_KEY = "termini-local-development-identity-key";

export function providers(env: Bindings): OidcProvider[] {
  return config(env).OIDC_PROVIDERS;
}

const keys = new Map<string, SigningKey>();

export async function relyingParty(env: Bindings, p: OidcProvider): Promise<RelyingParty> {
  const jwk = config(env).OIDC_PRIVATE_KEY;
  let signingKey = jwk === undefined ? undefined : keys.get(jwk.kid);
  if (jwk !== undefined && signingKey === undefined) keys.set(jwk.kid, (signingKey = await importSigningKey(jwk)));
  const secret = p.clientSecretVar === undefined ? undefined : (env as unknown as Record<string, unknown>)[p.clientSecretVar];
  return {
    provider: p, signingKey, clientSecret: typeof secret === "string" ? secret : undefined, allowHttp: isLocal(env),
    redirectUri: `${env.APP_BASE_URL}/accedi/oidc/${p.id}/callback`,
  };
}

/**
 * The key fiscal numbers are digested with: IDENTITY_KEY (32+ characters), or a fixed one only on a
 * local deployment; null elsewhere — a digest under a key anyone can read could be reversed by trying
 * fiscal codes. Changing the key makes every registered digest useless: register them again.
 */
function identityKey(env: Bindings): string | null {
  const k = env.IDENTITY_KEY;
  if (k !== undefined && k.length >= 32) return k;
  return isLocal(env) ? LOCAL_IDENTITY_KEY : null;
}

/** The keyed digest of a fiscal number, or null when the deployment has no key for it. */
export async function fiscalDigest(env: Bindings, raw: string): Promise<string | null> {
  const key = identityKey(env);
  return key === null ? null : hmacHex(key, `fiscal:${normalFiscalNumber(raw)}`);
}

/** Why a sign-in was refused, as the person reads it. */
const REFUSED: Record<SignInRefused["code"] | "unknown_user" | "not_allowed" | "unknown_provider", { status: 400 | 403 | 404 | 502; text: string }> = {
  state: { status: 400, text: "La richiesta di accesso è scaduta, è già stata usata o non è partita da questo browser. Riprovi dall'inizio." },
  provider_error: { status: 400, text: "Il fornitore di identità ha interrotto o rifiutato l'accesso. Riprovi dall'inizio." },
  token: { status: 400, text: "La risposta del fornitore di identità non ha superato i controlli: l'accesso non è stato concesso." },
  signature: { status: 400, text: "La risposta del fornitore di identità non ha una firma valida: l'accesso non è stato concesso." },
  nonce: { status: 400, text: "La risposta del fornitore di identità non corrisponde a questa richiesta di accesso: l'accesso non è stato concesso." },
  expired: { status: 400, text: "La risposta del fornitore di identità è scaduta: riprovi dall'inizio." },
  acr: { status: 403, text: "Il livello di autenticazione usato non è quello richiesto per Termini: acceda di nuovo con il livello indicato dalla sua amministrazione." },
  claim_missing: { status: 403, text: "Il fornitore di identità non ha comunicato il dato che identifica il suo account: l'accesso non è stato concesso." },
  unreachable: { status: 502, text: "Il fornitore di identità non risponde: riprovi tra qualche minuto." },
  unknown_user: { status: 403, text: "Nessun utente di Termini corrisponde all'identità con cui ha effettuato l'accesso. Gli utenti sono creati dagli amministratori: chieda di essere invitato." },
  not_allowed: { status: 403, text: "Il suo ruolo o i suoi uffici non possono accedere tramite questo fornitore di identità: usi quello della sua amministrazione." },
  unknown_provider: { status: 404, text: "Questo fornitore di identità non è configurato." },
};

async function refused(c: Context<AppEnv>, code: keyof typeof REFUSED, provider: string): Promise<Response> {
  // An unknown provider's name is whatever the address said: not logged (the log keeps no one's text).
  if (code !== "unknown_provider") {
    await audit(database(c.env.DB), { actor: "public", action: "signin.refused", caseId: null, requestId: c.get("requestId"), detail: { provider, reason: code } }, Date.now());
  }
  // A refused identity leaves no one signed in on this browser (a shared workstation's previous session).
  if (code === "unknown_user" || code === "not_allowed") await endSession(c, Date.now());
  const r = REFUSED[code];
  // Signed in at the provider with an identity Termini does not accept: without leaving the
  // provider's session first, "Accedi" would bring the same identity back.
  const other = code === "unknown_user" || code === "not_allowed";
  return c.html(
    <Layout title="Accesso non riuscito">
      <Alert tone="danger">{r.text}</Alert>
      {other && <p><a href={`/accedi/oidc/${provider}/esci`}>Esci dal fornitore di identità per accedere con un'altra identità</a></p>}
      <p><a href="/accedi">Torna alla pagina di accesso</a></p>
    </Layout>,
    r.status,
  );
}

/** Leaves the provider's session (RP-initiated logout), then back to the sign-in page. */
oidcSignIn.get("/accedi/oidc/:provider/esci", async (c) => {
  const p = providers(c.env).find((x) => x.id === c.req.param("provider"));
  if (p === undefined) return refused(c, "unknown_provider", c.req.param("provider"));
  const there = await endSessionUrl(await relyingParty(c.env, p), `${c.env.APP_BASE_URL}/accedi?uscita=1`);
  return c.redirect(there?.toString() ?? "/accedi", 303);
});

/**
 * Each client address may start or complete at most CLIENT_RATE_LIMIT sign-ins per window (the
 * email sign-in's limit and table): nobody can fill the attempts table, or the log with refusals.
 */
async function throttled(c: Context<AppEnv>): Promise<Response | null> {
  if (!(await withinClientLimit(c.env, c.req.header("CF-Connecting-IP"), Date.now(), "oidc"))) {
    return c.html(<Layout title="Troppe richieste"><Alert tone="danger">Troppe richieste di accesso: riprovi tra qualche minuto.</Alert></Layout>, 429);
  }
  return null;
}

oidcSignIn.get("/accedi/con/:provider", async (c) => {
  const p = providers(c.env).find((x) => x.id === c.req.param("provider"));
  if (p === undefined) return refused(c, "unknown_provider", c.req.param("provider"));
  const limited = await throttled(c);
  if (limited !== null) return limited;
  const now = Date.now();
  const attempt = await newAttempt();
  let url: URL;
  try {
    url = await authorizationUrl(await relyingParty(c.env, p), attempt);
  } catch (e) {
    if (e instanceof SignInRefused) return refused(c, e.code, p.id);
    throw e;
  }
  await database(c.env.DB).insert(oidcAttempts).values({
    stateHash: await sha256Hex(attempt.state), provider: p.id, codeVerifier: attempt.codeVerifier, nonce: attempt.nonce,
    next: safeNext(c.req.query("dopo")), createdAt: now, expiresAt: now + ATTEMPT_MINUTES * 60_000,
  }).run();
  setCookie(c, STATE_COOKIE, attempt.state, { httpOnly: true, secure: true, sameSite: "Lax", path: "/accedi/oidc", maxAge: ATTEMPT_MINUTES * 60 });
  return c.redirect(url.toString(), 303);
});

oidcSignIn.get("/accedi/oidc/:provider/callback", async (c) => {
  const id = c.req.param("provider");
  const p = providers(c.env).find((x) => x.id === id);
  if (p === undefined) return refused(c, "unknown_provider", id);
  const limited = await throttled(c);
  if (limited !== null) return limited;
  const now = Date.now();
  const state = c.req.query("state") ?? "";
  setCookie(c, STATE_COOKIE, "", { httpOnly: true, secure: true, sameSite: "Lax", path: "/accedi/oidc", maxAge: 0 });
  // The answer must come back to the browser that asked, and only once.
  if (state === "" || getCookie(c, STATE_COOKIE) !== state) return refused(c, "state", id);
  const db = database(c.env.DB);
  const [taken] = await db.update(oidcAttempts).set({ usedAt: now })
    .where(and(eq(oidcAttempts.stateHash, await sha256Hex(state)), eq(oidcAttempts.provider, id), isNull(oidcAttempts.usedAt), gt(oidcAttempts.expiresAt, now)))
    .returning().all();
  if (taken === undefined) return refused(c, "state", id);
  let claims: Record<string, unknown>;
  try {
    claims = await completeSignIn(await relyingParty(c.env, p), { state, nonce: taken.nonce, codeVerifier: taken.codeVerifier }, new URL(c.req.url));
  } catch (e) {
    if (e instanceof SignInRefused) return refused(c, e.code, id);
    throw e;
  }
  const value = claims[p.claim];
  // An address the provider has not vouched for could be anyone's (a tenant whose users set their own):
  // only email_verified true counts, unless the deployment says this provider's addresses are its own.
  if (typeof value !== "string" || value.trim() === "" || (p.match === "email" && claims.email_verified !== true && !p.trustEmail)) return refused(c, "claim_missing", id);
  // Only what matches is compared: the address as the account holds it, or the fiscal number's keyed digest.
  const digest = p.match === "fiscal_number" ? await fiscalDigest(c.env, value) : null;
  const match = p.match === "email" ? eq(users.email, value.trim().toLowerCase()) : eq(users.fiscalHash, digest ?? "-");
  const user = await db.select().from(users).where(and(match, isNull(users.disabledAt))).get();
  if (user === undefined) return refused(c, "unknown_user", id);
  const mine = (await db.select({ id: userOffices.officeId }).from(userOffices).where(eq(userOffices.userId, user.id)).all()).map((o) => o.id);
  if (!p.roles.includes(user.role) || (p.offices !== undefined && mine.some((o) => !p.offices!.includes(o)))) return refused(c, "not_allowed", id);
  await startSession(c, user.id, now, p.id);
  await acceptInvitation(c, user.id, now);
  await audit(db, { actor: `user:${user.id}`, action: "signin.completed", caseId: null, requestId: c.get("requestId"), detail: { provider: p.id, providerName: p.name } }, now);
  return c.redirect(taken.next, 303);
});

/** The public half of OIDC_PRIVATE_KEY: what a provider verifies client assertions and request objects with. */
oidcSignIn.get("/oidc/jwks.json", (c) => {
  const jwk = config(c.env).OIDC_PRIVATE_KEY;
  return c.json({ keys: jwk === undefined ? [] : [publicJwk(jwk)] });
});

