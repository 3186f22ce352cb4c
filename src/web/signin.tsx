/**
 * Sign-in by a one-time email link: valid 15 minutes, single use, sent
 * through the same Mailer as every notification. The link opens a page
 * with a button, so that mail scanners that follow links do not use it up.
 * The answer never says whether an address is registered.
 */
import { and, count, eq, gt, isNull, lt } from "drizzle-orm";
import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";
import { hmacHex, sha256Hex } from "../auth/bearer.js";
import { rateLimitKey } from "../deployment.js";
import type { Bindings } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { signInLinks, signInRequests, users } from "../db/schema.js";
import { mailerFor } from "../notify/context.js";
import { config } from "../config.js";
import { escapeHtml } from "../lib/html.js";
import { readForm } from "../http/body.js";
import { isEmailAddress } from "../lib/email.js";
import { Layout } from "./layout.js";
import { Alert, Field, described } from "./ui.js";
import { PRE_CSRF_COOKIE, checkCsrf, currentUser, endSession, preSessionCsrf, randomToken, startSession } from "./session.js";

export const signIn = new Hono<AppEnv>();

export const LINK_MINUTES = 15;
/** Sign-in links sent per address per window; further requests are answered alike and not sent. */
export const RATE_LIMIT = 3;
/** Sign-in requests per client (network address) per window, whatever the addresses asked for. */
export const CLIENT_RATE_LIMIT = 20;
const RATE_WINDOW_MS = 15 * 60_000;

const safeNext = (next: unknown) => (typeof next === "string" && /^\/[A-Za-z0-9/_%.-]*$/.test(next) && !next.startsWith("//") ? next : "/");

/** The sign-in form, again with what was typed and the reason next to the field when it was refused. */
function signInForm(c: Context<AppEnv>, next: string, typed: { email?: string; error?: string } = {}) {
  return c.html(
    <Layout title="Accesso">
      <p>Inserisca l'indirizzo di posta istituzionale: riceverà un link di accesso valido {LINK_MINUTES} minuti.</p>
      <form method="post" action="/accedi" novalidate>
        <input type="hidden" name="csrf" value={preSessionCsrf(c)} />
        <input type="hidden" name="dopo" value={next} />
        <Field id="email" label="Indirizzo di posta elettronica" error={typed.error}>
          <input {...described("email", { error: typed.error })} name="email" type="email" autocomplete="email" required value={typed.email ?? ""} />
        </Field>
        <button type="submit" class="btn btn-primary">Invia il link di accesso</button>
      </form>
    </Layout>,
    typed.error === undefined ? 200 : 422,
  );
}

signIn.get("/accedi", (c) => signInForm(c, safeNext(c.req.query("dopo"))));


signIn.post("/accedi", async (c) => {
  const now = Date.now();
  const form = await readForm(c.req.raw);
  checkCsrf(getCookie(c, PRE_CSRF_COOKIE), form.csrf);
  const db = database(c.env.DB);
  // Per client: the same work and the same answer whatever address was asked for.
  const client = await hmacHex(rateLimitKey(c.env), `client:${c.req.header("CF-Connecting-IP") ?? "local"}`);
  const [fromClient] = await db.batch([
    db.select({ n: count() }).from(signInRequests).where(and(eq(signInRequests.clientHash, client), gt(signInRequests.at, now - RATE_WINDOW_MS))),
    db.insert(signInRequests).values({ clientHash: client, at: now }),
  ]);
  if ((fromClient[0]?.n ?? 0) >= CLIENT_RATE_LIMIT) {
    return c.html(<Layout title="Troppe richieste"><Alert tone="danger">Troppe richieste di accesso: riprovi tra qualche minuto.</Alert></Layout>, 429);
  }
  const typed = String(form.email ?? "").trim();
  // A typo is refused next to the field; whether the address is registered is never said.
  if (!isEmailAddress(typed)) {
    const error = typed === "" ? "Inserisca l'indirizzo di posta elettronica." : "L'indirizzo non è valido: controlli che sia scritto come nome@ufficio.it.";
    return signInForm(c, safeNext(form.dopo), { email: typed, error });
  }
  // Whether the address is known, and whether it had links lately, is looked up after the answer
  // has gone: neither its content nor its timing can tell.
  const email = typed.toLowerCase();
  c.executionCtx.waitUntil(sendLink(c.env, email, safeNext(form.dopo), now, c.get("requestId")).catch((e: unknown) => {
    console.error(JSON.stringify({ level: "error", action: "signin.link", error: e instanceof Error ? e.name : "unknown" }));
  }));
  return c.html(
    <Layout title="Controlli la posta">
      <Alert tone="success">Se l'indirizzo è registrato, riceverà a breve un link di accesso valido {LINK_MINUTES} minuti.</Alert>
    </Layout>,
  );
});

/**
 * A link to a registered address. At most RATE_LIMIT per address and window:
 * further requests are silently not sent, and the links already sent stay
 * valid, so asking on somebody's behalf never locks the real person out.
 */
async function sendLink(env: Bindings, email: string, next: string, now: number, requestId: string): Promise<void> {
  const db = database(env.DB);
  const user = await db.select().from(users).where(and(eq(users.email, email), isNull(users.disabledAt))).get();
  if (user === undefined) return;
  const [recent] = await db.select({ n: count() }).from(signInLinks).where(and(eq(signInLinks.userId, user.id), gt(signInLinks.createdAt, now - RATE_WINDOW_MS))).all();
  if ((recent?.n ?? 0) >= RATE_LIMIT) {
    await audit(db, { actor: `user:${user.id}`, action: "signin.not-resent", caseId: null, requestId, detail: {} }, now);
    return;
  }
  const token = randomToken();
  const hash = await sha256Hex(token);
  await db.insert(signInLinks).values({ tokenHash: hash, userId: user.id, createdAt: now, expiresAt: now + LINK_MINUTES * 60_000 }).run();
  const link = `${env.APP_BASE_URL}/accedi/link?token=${token}&dopo=${encodeURIComponent(next)}`;
  const who = config(env).ADMINISTRATION_NAME;
  await mailerFor(env, db).send({
    idempotencyKey: `signin:${hash.slice(0, 32)}`, from: env.EMAIL_FROM, to: [user.email],
    subject: "[Termini] Link di accesso",
    text: `${who} — Termini\n\nPer accedere a Termini apra questo link entro ${LINK_MINUTES} minuti (vale una sola volta):\n\n${link}\n\nSe non ha chiesto l'accesso, ignori questo messaggio.`,
    html: `<p><strong>${escapeHtml(who)}</strong> — Termini</p><p>Per accedere a Termini apra <a href="${link}">questo link</a> entro ${LINK_MINUTES} minuti (vale una sola volta).</p><p>Se non ha chiesto l'accesso, ignori questo messaggio.</p>`,
  });
  await audit(db, { actor: `user:${user.id}`, action: "signin.link-sent", caseId: null, requestId, detail: {} }, now);
}

/** Old rate-limit rows and used or expired links, deleted in bounded batches (the cron calls this). */
export async function purgeSignIn(env: Bindings, now: number): Promise<void> {
  const db = database(env.DB);
  await db.batch([
    db.delete(signInRequests).where(lt(signInRequests.at, now - RATE_WINDOW_MS)),
    db.delete(signInLinks).where(lt(signInLinks.expiresAt, now - 24 * 3_600_000)),
  ]);
}

signIn.get("/accedi/link", (c) => {
  const csrf = preSessionCsrf(c);
  return c.html(
    <Layout title="Conferma l'accesso">
      <form method="post" action="/accedi/link">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="token" value={c.req.query("token") ?? ""} />
        <input type="hidden" name="dopo" value={safeNext(c.req.query("dopo"))} />
        <button type="submit" class="btn btn-primary">Accedi a Termini</button>
      </form>
    </Layout>,
  );
});

signIn.post("/accedi/link", async (c) => {
  const now = Date.now();
  const form = await readForm(c.req.raw);
  checkCsrf(getCookie(c, PRE_CSRF_COOKIE), form.csrf);
  const db = database(c.env.DB);
  const hash = await sha256Hex(String(form.token ?? ""));
  // Single use: only the request that flips used_at gets a session.
  const used = await db.update(signInLinks).set({ usedAt: now })
    .where(and(eq(signInLinks.tokenHash, hash), isNull(signInLinks.usedAt), gt(signInLinks.expiresAt, now)))
    .returning({ userId: signInLinks.userId }).all();
  if (used.length === 0) {
    return c.html(
      <Layout title="Link non valido">
        <Alert tone="danger">Il link è scaduto o è già stato usato. <a href="/accedi">Chieda un nuovo link</a>.</Alert>
      </Layout>,
      400,
    );
  }
  const userId = used[0]!.userId;
  await startSession(c, userId, now);
  // The first sign-in through a link accepts the invitation: the user is no longer "invitato".
  const accepted = await db.update(users).set({ acceptedAt: now }).where(and(eq(users.id, userId), isNull(users.acceptedAt))).returning({ id: users.id }).all();
  if (accepted.length > 0) await audit(db, { actor: `user:${userId}`, action: "user.accepted", caseId: null, requestId: c.get("requestId"), detail: {} }, now);
  await audit(db, { actor: `user:${userId}`, action: "signin.completed", caseId: null, requestId: c.get("requestId"), detail: {} }, now);
  return c.redirect(safeNext(form.dopo), 303);
});

signIn.post("/esci", async (c) => {
  const now = Date.now();
  const user = await currentUser(c, now);
  const form = await readForm(c.req.raw);
  if (user !== undefined) checkCsrf(user.csrf, form.csrf);
  await endSession(c, now);
  return c.redirect("/accedi", 303);
});
