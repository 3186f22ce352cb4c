/**
 * Sign-in by a one-time email link: valid 15 minutes, single use, sent
 * through the same Mailer as every notification. The link opens a page
 * with a button, so that mail scanners that follow links do not use it up.
 * The answer never says whether an address is registered.
 */
import { and, count, eq, gt, isNull, lt } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";
import { sha256Hex } from "../lib/digest.js";
import type { Bindings } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { declaredReasons, oidcAttempts, signInLinks, signInRequests, users } from "../db/schema.js";
import { endSessionUrl } from "../auth/oidc.js";
import { providers, relyingParty } from "./oidc-signin.js";
import { mailerFor } from "../notify/context.js";
import { config } from "../config.js";
import { escapeHtml } from "../lib/html.js";
import { readForm } from "../http/body.js";
import { isEmailAddress } from "../lib/email.js";
import { Layout } from "./layout.js";
import { Alert, Field, described } from "./ui.js";
import { RATE_WINDOW_MS, withinClientLimit } from "./signin-limit.js";
import { PRE_CSRF_COOKIE, acceptInvitation, checkCsrf, currentUser, endSession, preSessionCsrf, randomToken, safeNext, startSession } from "./session.js";
import { createRouter } from "../http/router.js";

export const signIn = createRouter();

const LINK_MINUTES = 15;
/** Sign-in links sent per address per window; further requests are answered alike and not sent. */
export const RATE_LIMIT = 3;

const emailSignIn = (env: Bindings) => config(env).EMAIL_SIGNIN === "on";

/**
 * The sign-in page: a button per OpenID provider, then (unless the deployment turned it off) the
 * form for a link by email, again with what was typed and the reason next to the field when refused.
 */
function signInForm(c: Context<AppEnv>, next: string, typed: { email?: string; error?: string } = {}) {
  const idps = providers(c.env);
  const byEmail = emailSignIn(c.env);
  return c.html(
    <Layout title="Accesso">
      {c.req.query("uscita") === "1" && <Alert tone="success">Sessione chiusa: è uscito da Termini.</Alert>}
      {idps.length > 0 && (
        <section aria-labelledby="con-identita" class="mb-5">
          <h2 id="con-identita" class="h4">Con l'identità della sua amministrazione</h2>
          <ul class="list-unstyled">{idps.map((p) => (
            <li class="mb-2"><a class="btn btn-primary" href={`/accedi/con/${p.id}?dopo=${encodeURIComponent(next)}`}>Accedi con {p.name}</a></li>
          ))}</ul>
        </section>
      )}
      {byEmail && <EmailForm c={c} next={next} typed={typed} titled={idps.length > 0} />}
    </Layout>,
    typed.error === undefined ? 200 : 422,
  );
}

function EmailForm(props: { c: Context<AppEnv>; next: string; typed: { email?: string; error?: string }; titled: boolean }) {
  const { c, next, typed } = props;
  return (
    <section aria-labelledby={props.titled ? "con-link" : undefined}>
      {props.titled && <h2 id="con-link" class="h4">Con un link via email</h2>}
      <p>Inserisca l'indirizzo di posta istituzionale: riceverà un link di accesso valido {LINK_MINUTES} minuti.</p>
      <form method="post" action="/accedi" novalidate>
        <input type="hidden" name="csrf" value={preSessionCsrf(c)} />
        <input type="hidden" name="dopo" value={next} />
        <Field id="email" label="Indirizzo di posta elettronica" error={typed.error}>
          <input {...described("email", { error: typed.error })} name="email" type="email" autocomplete="email" required value={typed.email ?? ""} />
        </Field>
        <button type="submit" class="btn btn-primary">Invia il link di accesso</button>
      </form>
    </section>
  );
}

/** With the email link turned off, its routes answer as if they did not exist. */
function linkOff(c: Context<AppEnv>) {
  return c.html(
    <Layout title="Accesso con link non disponibile">
      <Alert tone="warning">Questa amministrazione non consente l'accesso con un link via email: usi <a href="/accedi">l'identità della sua amministrazione</a>.</Alert>
    </Layout>,
    404,
  );
}

signIn.get("/accedi", (c) => signInForm(c, safeNext(c.req.query("dopo"))));


signIn.post("/accedi", async (c) => {
  if (!emailSignIn(c.env)) return linkOff(c);
  const now = Date.now();
  const form = await readForm(c.req.raw);
  checkCsrf(getCookie(c, PRE_CSRF_COOKIE), form.csrf);
  // Per client: the same work and the same answer whatever address was asked for.
  if (!(await withinClientLimit(c.env, c.req.header("CF-Connecting-IP"), now))) {
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
    db.delete(oidcAttempts).where(lt(oidcAttempts.expiresAt, now - 24 * 3_600_000)),
    db.delete(declaredReasons).where(lt(declaredReasons.expiresAt, now)),
  ]);
}

signIn.get("/accedi/link", (c) => {
  if (!emailSignIn(c.env)) return linkOff(c);
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
  if (!emailSignIn(c.env)) return linkOff(c);
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
  await acceptInvitation(c, userId, now);
  await audit(db, { actor: `user:${userId}`, action: "signin.completed", caseId: null, requestId: c.get("requestId"), detail: {} }, now);
  return c.redirect(safeNext(form.dopo), 303);
});

signIn.post("/esci", async (c) => {
  const now = Date.now();
  const user = await currentUser(c, now);
  const form = await readForm(c.req.raw);
  if (user !== undefined) checkCsrf(user.csrf, form.csrf);
  const provider = await endSession(c, now);
  // Signed in through a provider that offers RP-initiated logout: its session ends too, then back here.
  const p = providers(c.env).find((x) => x.id === provider);
  const there = p === undefined ? null : await endSessionUrl(await relyingParty(c.env, p), `${c.env.APP_BASE_URL}/accedi?uscita=1`);
  if (user !== undefined) await audit(database(c.env.DB), { actor: user.principal.id, action: "signout", caseId: null, requestId: c.get("requestId"), detail: p === undefined ? {} : { provider: p.id, providerName: p.name } }, now);
  return c.redirect(there?.toString() ?? "/accedi?uscita=1", 303);
});
