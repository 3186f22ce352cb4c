/**
 * Termini as an OpenID Connect relying party, through oauth4webapi (WebCrypto, runs on Workers):
 * the authorization code flow with PKCE, state and nonce; the ID token checked for issuer,
 * audience, expiry and nonce, and its signature against the provider's JWKS; client
 * authentication by private_key_jwt or a client secret; optional acr_values and signed request
 * objects. Nothing here touches storage: the routes keep the attempt and match the person.
 */
import * as oauth from "oauth4webapi";
import type { OidcProvider } from "./oidc-config.js";

/** How long an outside call may take before the sign-in is refused rather than left hanging. */
const TIMEOUT_MS = 10_000;
/** Provider metadata is read again after this long (and at once when a key is not found). */
const METADATA_MS = 3_600_000;

export interface SigningKey {
  key: CryptoKey;
  kid: string;
}

/** What a sign-in needs besides the provider: where the answer comes back, with which keys. */
export interface RelyingParty {
  provider: OidcProvider;
  redirectUri: string;
  /** OIDC_PRIVATE_KEY, imported: private_key_jwt and request objects. */
  signingKey?: SigningKey;
  clientSecret?: string;
  /** Plain http to the provider: only on a local deployment (tests, development). */
  allowHttp: boolean;
}

/** One authorization request's secrets, kept server-side until its answer comes back. */
export interface Attempt {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Why a sign-in was refused: a stable code for the log, never the provider's text. */
export type RefusalCode = "provider_error" | "state" | "token" | "signature" | "nonce" | "expired" | "acr" | "claim_missing" | "unreachable";

export class SignInRefused extends Error {
  constructor(readonly code: RefusalCode) {
    super(code);
    this.name = "SignInRefused";
  }
}

const metadata = new Map<string, { as: oauth.AuthorizationServer; at: number }>();

function options(rp: RelyingParty) {
  return {
    [oauth.allowInsecureRequests]: rp.allowHttp,
    [oauth.customFetch]: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
  };
}

async function server(rp: RelyingParty, fresh = false): Promise<oauth.AuthorizationServer> {
  const cached = metadata.get(rp.provider.issuer);
  if (!fresh && cached !== undefined && Date.now() - cached.at < METADATA_MS) return cached.as;
  const issuer = new URL(rp.provider.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options(rp)));
  metadata.set(rp.provider.issuer, { as, at: Date.now() });
  return as;
}

const client = (rp: RelyingParty): oauth.Client => ({ client_id: rp.provider.clientId });

function clientAuth(rp: RelyingParty): oauth.ClientAuth {
  if (rp.provider.auth === "private_key_jwt") return oauth.PrivateKeyJwt(rp.signingKey!);
  return rp.provider.auth === "client_secret_basic" ? oauth.ClientSecretBasic(rp.clientSecret!) : oauth.ClientSecretPost(rp.clientSecret!);
}

export async function newAttempt(): Promise<Attempt> {
  return { state: oauth.generateRandomState(), nonce: oauth.generateRandomNonce(), codeVerifier: oauth.generateRandomCodeVerifier() };
}

/** Where to send the browser: the provider's authorization endpoint with this attempt's request. */
export async function authorizationUrl(rp: RelyingParty, attempt: Attempt): Promise<URL> {
  const as = await unreachableAs(() => server(rp));
  const p = rp.provider;
  const params: Record<string, string> = {
    client_id: p.clientId, redirect_uri: rp.redirectUri, response_type: "code", scope: p.scope, state: attempt.state, nonce: attempt.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(attempt.codeVerifier), code_challenge_method: "S256",
    // The claim that identifies the person, asked for in the ID token itself.
    claims: JSON.stringify({ id_token: { [p.claim]: { essential: true }, ...(p.match === "email" ? { email_verified: null } : {}), ...(p.acrValues ? { acr: { essential: true, values: p.acrValues } } : {}) } }),
  };
  if (p.acrValues !== undefined) params.acr_values = p.acrValues.join(" ");
  if (p.prompt !== undefined) params.prompt = p.prompt;
  if (as.authorization_endpoint === undefined || !URL.canParse(as.authorization_endpoint)) throw new SignInRefused("unreachable");
  const url = new URL(as.authorization_endpoint);
  if (p.requestObject) {
    const request = await oauth.issueRequestObject(as, client(rp), params, rp.signingKey!);
    // OpenID Connect Core 6.1: client_id, response_type and scope are sent beside the request object too.
    for (const [k, v] of Object.entries({ client_id: p.clientId, response_type: "code", scope: p.scope, request })) url.searchParams.set(k, v);
  } else {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  }
  return url;
}

async function unreachableAs<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof oauth.OperationProcessingError || e instanceof TypeError || (e instanceof Error && e.name === "TimeoutError")) throw new SignInRefused("unreachable");
    throw e;
  }
}

/** The claims of the ID token the answer at `callback` leads to, every check passed; else SignInRefused. */
export async function completeSignIn(rp: RelyingParty, attempt: Attempt, callback: URL): Promise<oauth.IDToken & Record<string, unknown>> {
  let as = await unreachableAs(() => server(rp));
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client(rp), callback, attempt.state);
  } catch (e) {
    throw new SignInRefused(e instanceof oauth.AuthorizationResponseError ? "provider_error" : "state");
  }
  let response: Response;
  let tokens: oauth.TokenEndpointResponse;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client(rp), clientAuth(rp), params, rp.redirectUri, attempt.codeVerifier, options(rp));
    tokens = await oauth.processAuthorizationCodeResponse(as, client(rp), response, { expectedNonce: attempt.nonce, requireIdToken: true });
  } catch (e) {
    throw new SignInRefused(refusal(e));
  }
  try {
    await oauth.validateApplicationLevelSignature(as, response, options(rp));
  } catch (e) {
    if (!(e instanceof oauth.OperationProcessingError && e.code === oauth.KEY_SELECTION)) throw new SignInRefused("signature");
    // A key the cached set does not have: the provider may have rotated its keys. Read them again, once.
    as = await unreachableAs(() => server(rp, true));
    await oauth.validateApplicationLevelSignature(as, response, options(rp)).catch(() => { throw new SignInRefused("signature"); });
  }
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  const acr = rp.provider.acrValues;
  if (acr !== undefined && (typeof claims.acr !== "string" || !acr.includes(claims.acr))) throw new SignInRefused("acr");
  return claims;
}

function refusal(e: unknown): RefusalCode {
  if (e instanceof oauth.ResponseBodyError) return "provider_error";
  if (e instanceof oauth.OperationProcessingError) {
    if (e.code === oauth.JWT_TIMESTAMP_CHECK) return "expired";
    if (e.code === oauth.JWT_CLAIM_COMPARISON && (e.cause as { claim?: string } | undefined)?.claim === "nonce") return "nonce";
    return "token";
  }
  if (e instanceof TypeError || (e instanceof Error && e.name === "TimeoutError")) return "unreachable";
  return "token";
}

/** OIDC_PRIVATE_KEY as a signing key (ES256 or RS256), and its public half for /oidc/jwks.json. */
export async function importSigningKey(jwk: JsonWebKey & { kid: string }): Promise<SigningKey> {
  const alg = jwk.kty === "EC" ? { name: "ECDSA", namedCurve: jwk.crv ?? "P-256" } : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  return { key: await crypto.subtle.importKey("jwk", jwk, alg, false, ["sign"]), kid: jwk.kid };
}

/** Only the public members, named one by one: nothing private can slip through. */
export function publicJwk(jwk: JsonWebKey & { kid: string }): Record<string, unknown> {
  const pub = jwk.kty === "EC" ? { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: "RSA", n: jwk.n, e: jwk.e };
  return { ...pub, kid: jwk.kid, use: "sig", alg: jwk.kty === "EC" ? "ES256" : "RS256" };
}

/** The provider's RP-initiated logout endpoint, if it has one: where to send the browser on sign-out. */
export async function endSessionUrl(rp: RelyingParty, postLogout: string): Promise<URL | null> {
  const as = await server(rp).catch(() => null);
  if (as?.end_session_endpoint === undefined || !URL.canParse(as.end_session_endpoint)) return null;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set("client_id", rp.provider.clientId);
  url.searchParams.set("post_logout_redirect_uri", postLogout);
  return url;
}
