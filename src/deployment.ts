/**
 * What a deployment must have before it serves anyone. Locally (links point
 * at localhost) email goes to the outbox, where administrators can read it,
 * sign-in links included; anywhere else that would hand sign-in links to
 * whoever reads the outbox, so the Worker refuses to serve in outbox mode
 * unless it is clearly local. Likewise the key that hides client addresses
 * in the sign-in rate limit.
 */
import { readConfig } from "./config.js";
import { districtMisconfiguration } from "./db/districts.js";
import type { Bindings } from "./env.js";

export const LOCAL_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

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
  if (isLocal(env)) return null;
  if (env.RESEND_API_KEY === undefined || env.RESEND_API_KEY === "") {
    return "RESEND_API_KEY mancante: la posta locale (outbox) è ammessa solo in sviluppo su localhost";
  }
  if (env.RATE_LIMIT_KEY === undefined || env.RATE_LIMIT_KEY.length < 32) {
    return "RATE_LIMIT_KEY mancante o troppo corta (almeno 32 caratteri)";
  }
  return null;
}

/** Locally, a fixed key is enough: nothing it protects leaves the machine. */
const LOCAL_RATE_LIMIT_KEY = "termini-local-development-rate-limit-key";

export function rateLimitKey(env: Bindings): string {
  return env.RATE_LIMIT_KEY !== undefined && env.RATE_LIMIT_KEY !== "" ? env.RATE_LIMIT_KEY : LOCAL_RATE_LIMIT_KEY;
}
