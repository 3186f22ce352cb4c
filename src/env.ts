import type { Principal } from "./auth/principal.js";
import type { UserRole } from "./db/schema.js";

/** The Worker's bindings: what `wrangler types` generates, plus optional secrets. */
export type Bindings = Env & {
  /** With it, email goes through Resend; without it, to the local outbox. */
  RESEND_API_KEY?: string;
  /** Resend's API base URL; tests point it at a local fake. */
  RESEND_BASE_URL?: string;
  /** With it, outbound webhooks are published through QStash; without it, delivered directly. */
  QSTASH_TOKEN?: string;
  /** QStash's API base URL (default https://qstash.upstash.io); tests point it at a local fake. */
  QSTASH_URL?: string;
  /** QStash's signing keys, which verify its requests to the relay and the callbacks. */
  QSTASH_CURRENT_SIGNING_KEY?: string;
  QSTASH_NEXT_SIGNING_KEY?: string;
  /** After how long a published message with no outcome heard is looked up in QStash (default one hour). */
  QSTASH_CHECK_AFTER_MS?: string;
  /** Keys the HMAC that stands for a client address in the sign-in rate limit (32+ characters). */
  RATE_LIMIT_KEY?: string;
  /** Keys the digest of fiscal numbers (SPID/CIE sign-in). */
  IDENTITY_KEY?: string;
  /** The private JWK of Termini as an OpenID relying party. */
  OIDC_PRIVATE_KEY?: string;
  OIDC_PROVIDERS?: string;
  EMAIL_SIGNIN?: string;
  AUDIT_RETENTION_YEARS?: string;
};

/** A signed-in user of the web app. */
export interface WebUser {
  id: string;
  email: string;
  /** The name the header shows; null: the address stands in. */
  name: string | null;
  /** The names of the user's offices, for the header. */
  officeNames: string[];
  role: UserRole;
  csrf: string;
  /** The session's id, hashed as stored: what a declared reason is kept under. */
  session: string;
  /** When the session ends. */
  sessionEnds: number;
  principal: Principal;
}

/** What every route and middleware sees; lives below them all, so imports never go in a circle. */
export type AppEnv = { Bindings: Bindings; Variables: { requestId: string; principal: Principal; user: WebUser } };
