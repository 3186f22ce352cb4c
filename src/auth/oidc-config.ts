/**
 * The OpenID providers a deployment trusts (OIDC_PROVIDERS, a JSON array), checked like every other
 * setting: a provider that is wrongly described makes the Worker refuse to serve, naming it. Each
 * provider says who it may sign in: the roles, and the offices, its users may hold.
 */
import * as z from "zod";
import type { UserRole } from "../db/auth-schema.js";

const ROLES = ["operator", "head", "admin", "region", "ministry", "dpo"] as const satisfies readonly UserRole[];

/** The claim SPID and CIE carry the fiscal number in (SPID/CIE OIDC Federation, attribute registry). */
const EID_FISCAL_NUMBER = "https://attributes.eid.gov.it/fiscal_number";

const provider = z.object({
  id: z.string().regex(/^[a-z0-9-]{2,32}$/, "id: da 2 a 32 caratteri tra a-z, 0-9 e -"),
  /** What the sign-in button says ("Accedi con …"). */
  name: z.string().min(2).max(80),
  /** The issuer; its metadata is read from <issuer>/.well-known/openid-configuration. */
  issuer: z.string().refine((s) => /^https?:\/\/[^/]/.test(s) && URL.canParse(s), "issuer: un indirizzo http o https"),
  clientId: z.string().min(1),
  /** private_key_jwt (what the SPID/CIE federation requires) signs with OIDC_PRIVATE_KEY; the others send a secret. */
  auth: z.enum(["private_key_jwt", "client_secret_basic", "client_secret_post"]).default("private_key_jwt"),
  /** The secret's name among the Worker's secrets (never the secret itself in a variable). */
  clientSecretVar: z.string().regex(/^[A-Z][A-Z0-9_]{2,63}$/).optional(),
  /** What identifies the person: the address of their account, or the fiscal number (SPID, CIE). */
  match: z.enum(["email", "fiscal_number"]),
  /** true: the provider's addresses are the administration's own even without email_verified (default false: it must say true). */
  trustEmail: z.boolean().default(false),
  /** The claim that carries it (default email, or the eID fiscal-number claim). */
  claim: z.string().min(1).max(200).optional(),
  roles: z.array(z.enum(ROLES)).min(1, "roles: almeno un ruolo"),
  /** The offices its users may act for; absent: any. A user with an office outside the list is refused. */
  offices: z.array(z.string().min(1)).optional(),
  /** Authentication context classes asked for and required back (e.g. https://www.spid.gov.it/SpidL2). */
  acrValues: z.array(z.string().min(1)).optional(),
  /** The authorization request as a request object signed with OIDC_PRIVATE_KEY. */
  requestObject: z.boolean().default(false),
  scope: z.string().default("openid email"),
  /** Sent as the prompt parameter: "login" makes the person authenticate at each sign-in (SPID/CIE ask for "consent login"). */
  prompt: z.string().regex(/^[a-z ]{1,40}$/).optional(),
}).refine((p) => p.auth === "private_key_jwt" || p.clientSecretVar !== undefined, {
  message: "clientSecretVar: il nome del segreto con il client secret (auth client_secret_*)",
});

export type OidcProvider = z.output<typeof provider> & { claim: string };

const oidcProviders = z.array(provider).superRefine((ps, ctx) => {
  const ids = ps.map((p) => p.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) ctx.addIssue({ code: "custom", message: `il fornitore ${twice} compare due volte` });
}).transform((ps): OidcProvider[] => ps.map((p) => ({ ...p, claim: p.claim ?? (p.match === "email" ? "email" : EID_FISCAL_NUMBER) })));

/** The providers' JSON as the setting holds it; the message names the first fault, in Italian. */
export const providersSetting = z.string().transform((s, ctx): OidcProvider[] => {
  let raw: unknown;
  try {
    raw = JSON.parse(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "un array JSON di fornitori OpenID" });
    return z.NEVER;
  }
  const r = oidcProviders.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  ctx.addIssue({ code: "custom", message: `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "valore non valido"}` });
  return z.NEVER;
});

/** A private key as a JWK (EC or RSA, with its kid): it signs client assertions and request objects. */
export const privateKeySetting = z.string().transform((s, ctx) => {
  try {
    const jwk = JSON.parse(s) as JsonWebKey & { kid?: unknown; alg?: unknown };
    if (typeof jwk.kid === "string" && typeof jwk.d === "string" && ((jwk.kty === "EC" && jwk.crv === "P-256") || jwk.kty === "RSA")) return jwk as JsonWebKey & { kid: string };
  } catch { /* reported below */ }
  ctx.addIssue({ code: "custom", message: "una chiave privata JWK (EC P-256 o RSA) con kid" });
  return z.NEVER;
});

/** "TINIT-RSSMRA85T10A562S" and "rssmra85t10a562s" are the same person: what is digested. */
export function normalFiscalNumber(raw: string): string {
  return raw.trim().toUpperCase().replace(/^TINIT-/, "");
}
