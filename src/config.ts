/**
 * The deployment's settings, validated once, with one schema. A setting
 * that is wrong makes the Worker refuse to serve (503 service_misconfigured
 * naming the variable) instead of running on a silent default: "0" or "abc"
 * for a rate, a quarter end that is not a date, a bill that does not exist.
 * Unset (or empty) means the default, which each entry names.
 *
 * docs/operations.md's configuration table is generated from SETTINGS (npm run
 * config:table) and a test keeps the two equal.
 */
import * as z from "zod";
import { latest } from "./timelines/catalog.js";
import { type OidcProvider, privateKeySetting, providersSetting } from "./auth/oidc-config.js";

type SettingKind = "var" | "secret" | "secret/var";

interface Setting<T> {
  kind: SettingKind;
  /** What it means, for docs/operations.md (English). */
  doc: string;
  /** Reads the raw value (undefined when unset or empty); the message is Italian, as clients read it. */
  schema: z.ZodType<T, string | undefined>;
}

const setting = <T>(kind: SettingKind, doc: string, schema: z.ZodType<T, string | undefined>): Setting<T> => ({ kind, doc, schema });

/** Unset or empty reads as undefined: every default below is the schema's. */
const optional = () => z.string().trim().optional().transform((s) => (s === "" ? undefined : s));

/** The default when unset, else `parse`'s reading, whose first message is the one a refusal shows. */
const orDefault = <T>(fallback: T, parse: z.ZodType<T, string>) => optional().transform((s, ctx): T => {
  if (s === undefined) return fallback;
  const r = parse.safeParse(s);
  if (r.success) return r.data;
  ctx.addIssue({ code: "custom", message: r.error.issues[0]?.message ?? "valore non valido" });
  return z.NEVER;
});

const millis = (fallback: number) => orDefault(fallback,
  z.string().regex(/^\d{1,10}$/, "un numero intero di millisecondi").transform(Number).pipe(z.number().int().min(1, "un numero di millisecondi maggiore di zero")));

const integer = (fallback: number, min: number, max: number, unit: string) => orDefault(fallback,
  z.string().regex(/^\d{1,3}$/, `un numero intero di ${unit} da ${min} a ${max}`).transform(Number).pipe(z.number().int().min(min, `da ${min} a ${max} ${unit}`).max(max, `da ${min} a ${max} ${unit}`)));

const url = (what: string, required: boolean) => optional().pipe(required
  ? z.string({ error: `${what} mancante` }).refine(isHttpUrl, `${what}: un indirizzo http o https`)
  : z.string().refine(isHttpUrl, `${what}: un indirizzo http o https`).optional());

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

/** A calendar day as MM-DD (29 February allowed: a leap year's quarter may end then). */
const MMDD = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isMonthDay = (s: string) => MMDD.test(s) && Number(s.slice(3)) <= DAYS_IN[Number(s.slice(0, 2)) - 1]!;

const quarterEnds = orDefault(["03-31", "06-30", "09-30", "12-31"], z.string().transform((s) => s.split(",").map((q) => q.trim())).refine(
  (qs) => qs.length === 4 && qs.every(isMonthDay) && qs.every((q, i) => i === 0 || q > qs[i - 1]!),
  "quattro giorni MM-GG in ordine, separati da virgole (es. 03-31,06-30,09-30,12-31)",
));

const bills = optional().transform((s) => (s ?? "").split(",").map((b) => b.trim()).filter(Boolean)).superRefine((ids, ctx) => {
  const known = new Set(latest().filter((t) => t.status === "bill").map((t) => t.id));
  const unknown = ids.filter((id) => id !== "all" && !known.has(id));
  if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `proposte di legge sconosciute: ${unknown.join(", ")} (gli identificativi sono in /api/v1/timelines, oppure all)` });
});

const districts = optional().transform((s) => (s ?? "").split(",").map((c) => c.trim()).filter(Boolean)).refine(
  (codes) => codes.every((c) => /^[A-Z]{2}$/.test(c) && c !== "IT"), "sigle di distretto di due lettere maiuscole, separate da virgole (non IT)",
);

export const SETTINGS = {
  APP_BASE_URL: setting("var", "base of the links in emails (the web app's address)", url("APP_BASE_URL", true)),
  ADMINISTRATION_NAME: setting("var", "the administration that runs this deployment, named in the header, the footer, the legal pages and every email (default Ministero della Giustizia)", orDefault("Ministero della Giustizia", z.string().min(3, "almeno 3 caratteri").max(120, "al più 120 caratteri"))),
  EMAIL_FROM: setting("var", "sender of the emails", optional().pipe(z.string({ error: "EMAIL_FROM mancante" }).min(3))),
  MAIL_TIMEOUT_MS: setting("var", "the longest wait for the email provider on one attempt (default 15 s); a claim is stale after 8 of them", millis(15_000)),
  MAIL_RETRY_BASE_MS: setting("var", "email: the first retry's delay (default 1 minute), doubling on each failure", millis(60_000)),
  MAIL_RETRY_MAX_MS: setting("var", "email: the longest delay between retries (default 1 hour)", millis(3_600_000)),
  MAIL_RETRY_WINDOW_MS: setting("var", "email: no retry later than this after the first failure (default 20 hours, inside Resend's 24-hour idempotency window)", millis(72_000_000)),
  MAIL_ALERT_AFTER_MS: setting("var", "email failing this long (default 30 minutes): the office's fallback address and the administrators are told", millis(1_800_000)),
  MAIL_RATE_PER_SECOND: setting("var", "requests per second to Resend from one isolate (default 4.5: a margin under Resend's default team limit of 5)", orDefault(4.5,
    z.string().regex(/^\d+(\.\d+)?$/, "un numero di richieste al secondo").transform(Number).pipe(z.number().gt(0, "un numero di richieste al secondo maggiore di zero").max(100, "al più 100 richieste al secondo")))),
  RESEND_API_KEY: setting("secret", "with it, email goes through Resend; without it, to the outbox — for local development only: the Worker refuses to serve without it unless APP_BASE_URL is this machine", optional()),
  RESEND_BASE_URL: setting("secret/var", "Resend's API base (tests point it at a local fake)", url("RESEND_BASE_URL", false)),
  RATE_LIMIT_KEY: setting("secret", "keys the HMAC that stands for client addresses in the sign-in limit (32+ characters; required unless local)", optional()),
  WEBHOOK_TIMEOUT_MS: setting("var", "the longest wait for a subscriber's endpoint (default 10 s); a claim is stale after 8 of them", millis(10_000)),
  WEBHOOK_RETRY_BASE_MS: setting("var", "outbound webhooks: the first retry's delay (default 30 s), doubling", millis(30_000)),
  WEBHOOK_RETRY_MAX_MS: setting("var", "outbound webhooks: the longest delay between retries (default 4 hours)", millis(14_400_000)),
  WEBHOOK_RETRY_WINDOW_MS: setting("var", "outbound webhooks: retries for this long (default a day), then the dead-letter queue", millis(86_400_000)),
  WEBHOOK_ALERT_AFTER_MS: setting("var", "an endpoint failing this long (default 1 hour) is flagged to the administrators and its office", millis(3_600_000)),
  WEBHOOK_DISABLE_AFTER_MS: setting("var", "an endpoint failing this long (default 5 days) has its subscription disabled, with a notice; it resumes by hand", millis(432_000_000)),
  OUTBOUND_LOG_DAYS: setting("var", "days a subscription's event log keeps its events, then they are purged (7–365, default 30; longer than any retry)", integer(30, 7, 365, "giorni")),
  QSTASH_TOKEN: setting("secret", "with it, outbound events go through QStash; without it, they are posted directly", optional()),
  QSTASH_CURRENT_SIGNING_KEY: setting("secret", "QStash's current signing key; required with QSTASH_TOKEN", optional()),
  QSTASH_NEXT_SIGNING_KEY: setting("secret", "QStash's next signing key; required with QSTASH_TOKEN", optional()),
  QSTASH_URL: setting("secret/var", "QStash's API base (default https://qstash.upstash.io; tests point it at a local fake)", url("QSTASH_URL", false)),
  QSTASH_CHECK_AFTER_MS: setting("secret/var", "a published message with no outcome heard is looked up in QStash after this long (default 1 hour)", millis(3_600_000)),
  ENABLED_BILLS: setting("var", "bill timelines to run: comma-separated ids, or all; none by default", bills),
  COMPLIANCE_QUARTER_ENDS: setting("var", "the four quarter ends (MM-DD, in order) of the 362-bis compliance cycles (default 03-31,06-30,09-30,12-31)", quarterEnds),
  COMPLIANCE_DATA_LAG_DAYS: setting("var", "days after a quarter's end the Procure's compliance data are due (0–120, default 15; the law fixes no day)", integer(15, 0, 120, "giorni")),
  COMPLIANCE_REPORT_LAG_DAYS: setting("var", "days after a half-year's end the PG's report is due (0–120, default 30)", integer(30, 0, 120, "giorni")),
  RETENTION_YEARS: setting("var", "years after a case's last activity that its data is purged, once no timeline of it runs (1–30, default 5)", integer(5, 1, 30, "anni")),
  DISTRICTS: setting("var", "the judicial districts with a database of their own (DISTRICT_<code>), comma-separated (TO,MI); empty: every case in DB (see Districts)", districts),
  OIDC_PROVIDERS: setting("var", "the OpenID providers staff sign in through: a JSON array (docs/security.md, Sign-in); empty: none", orDefault([] as OidcProvider[], providersSetting)),
  OIDC_PRIVATE_KEY: setting("secret", "the private JWK (EC or RSA, with kid) that signs client assertions (private_key_jwt) and request objects; its public half is served at /oidc/jwks.json", optional().pipe(privateKeySetting.optional())),
  IDENTITY_KEY: setting("secret", "keys the digest of the fiscal numbers SPID/CIE providers match users by (32+ characters; required unless local when a provider matches by fiscal_number)", optional()),
  EMAIL_SIGNIN: setting("var", "on (default): staff may sign in by a link sent by email; off: only through OIDC_PROVIDERS", orDefault("on" as "on" | "off", z.enum(["on", "off"], { error: "on oppure off" }))),
  AUDIT_RETENTION_YEARS: setting("var", "years the audit log's rows are kept, then purged (1–30, default 10; docs/security.md, Data protection)", integer(10, 1, 30, "anni")),
  D1_METER: setting("var", "1: requests asking with X-D1-Meter: 1 get the D1 meter's headers (benchmarks only; unset in production)", optional().pipe(z.enum(["1"], { error: "1, oppure non impostata" }).optional())),
} as const;

export type Config = { [K in keyof typeof SETTINGS]: z.output<(typeof SETTINGS)[K]["schema"]> };
export type Misconfigured = { variable: string; reason: string };

const read = new WeakMap<object, { ok: true; config: Config } | { ok: false; problem: Misconfigured }>();

/** Every setting read and checked, once per environment object; the first wrong one, named. */
export function readConfig(env: object): { ok: true; config: Config } | { ok: false; problem: Misconfigured } {
  let r = read.get(env);
  if (r === undefined) {
    r = parse(env as Record<string, unknown>);
    read.set(env, r);
  }
  return r;
}

function parse(env: Record<string, unknown>): { ok: true; config: Config } | { ok: false; problem: Misconfigured } {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SETTINGS)) {
    const raw = env[name];
    const r = (s.schema as z.ZodType).safeParse(typeof raw === "string" ? raw : undefined);
    if (!r.success) return { ok: false, problem: { variable: name, reason: r.error.issues[0]?.message ?? "valore non valido" } };
    out[name] = r.data;
  }
  return { ok: true, config: out as Config };
}

/** The settings of a deployment that serves (the app refuses to serve otherwise: see deployment.ts). */
export function config(env: object): Config {
  const r = readConfig(env);
  if (!r.ok) throw new Error(`${r.problem.variable}: ${r.problem.reason}`);
  return r.config;
}
