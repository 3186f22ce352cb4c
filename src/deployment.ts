/**
 * What a deployment must have before it serves anyone. Locally (links point
 * at localhost) email goes to the outbox, where administrators can read it,
 * sign-in links included; anywhere else that would hand sign-in links to
 * whoever reads the outbox, so the Worker refuses to serve in outbox mode
 * unless it is clearly local. Likewise the key that hides client addresses
 * in the sign-in rate limit.
 */
import { type Config, readConfig } from "./config.js";
import { districtMisconfiguration } from "./db/districts.js";
import type { Bindings } from "./env.js";

const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Local development: the links the service writes point at this machine. */
export function isLocal(env: Pick<Bindings, "APP_BASE_URL">): boolean {
  try {
    return LOCAL_HOSTS.has(new URL(env.APP_BASE_URL).hostname);
  } catch {
    return false;
  }
}

/** Why this deployment must not serve, or null: the first setting that is wrong, named (locally too), then what they require together. */
export function misconfiguration(env: Bindings): string | null {
  const settings = readConfig(env);
  if (!settings.ok) return `${settings.problem.variable}: ${settings.problem.reason}`;
  const districts = districtMisconfiguration(env);
  if (districts !== null) return districts;
  if (env.QSTASH_TOKEN && !(env.QSTASH_CURRENT_SIGNING_KEY && env.QSTASH_NEXT_SIGNING_KEY)) {
    return "QSTASH_TOKEN senza QSTASH_CURRENT_SIGNING_KEY e QSTASH_NEXT_SIGNING_KEY: le richieste di QStash non sarebbero verificabili";
  }
  const signIn = signInMisconfiguration(env, settings.config);
  if (signIn !== null) return signIn;
  if (isLocal(env)) return null;
  if (settings.config.OIDC_PROVIDERS.some((p) => p.match === "fiscal_number") && (env.IDENTITY_KEY === undefined || env.IDENTITY_KEY.length < 32)) {
    return "IDENTITY_KEY mancante o troppo corta (almeno 32 caratteri): serve a confrontare i codici fiscali dei fornitori SPID/CIE";
  }
  if (env.RESEND_API_KEY === undefined || env.RESEND_API_KEY === "") {
    return "RESEND_API_KEY mancante: la posta locale (outbox) è ammessa solo in sviluppo su localhost";
  }
  if (env.RATE_LIMIT_KEY === undefined || env.RATE_LIMIT_KEY.length < 32) {
    return "RATE_LIMIT_KEY mancante o troppo corta (almeno 32 caratteri)";
  }
  return null;
}

/** Whether staff can sign in at all, and every provider has the key or the secret it authenticates with. */
function signInMisconfiguration(env: Bindings, c: Config): string | null {
  if (c.EMAIL_SIGNIN === "off" && c.OIDC_PROVIDERS.length === 0) return "EMAIL_SIGNIN=off senza OIDC_PROVIDERS: nessuno potrebbe accedere";
  for (const p of c.OIDC_PROVIDERS) {
    if ((p.auth === "private_key_jwt" || p.requestObject) && c.OIDC_PRIVATE_KEY === undefined) return `OIDC_PRIVATE_KEY mancante: il fornitore ${p.id} firma con la chiave privata di Termini`;
    const secret = p.clientSecretVar === undefined ? "" : (env as unknown as Record<string, unknown>)[p.clientSecretVar];
    if (p.clientSecretVar !== undefined && (typeof secret !== "string" || secret === "")) return `${p.clientSecretVar} mancante: è il client secret del fornitore ${p.id}`;
  }
  return null;
}

/** Locally, a fixed key is enough: nothing it protects leaves the machine. */
const LOCAL_RATE_LIMIT_KEY = "termini-local-development-rate-limit-key";

export function rateLimitKey(env: Bindings): string {
  return env.RATE_LIMIT_KEY !== undefined && env.RATE_LIMIT_KEY !== "" ? env.RATE_LIMIT_KEY : LOCAL_RATE_LIMIT_KEY;
}
