/**
 * Administrators manage the people who use Termini: invite (email, role,
 * offices), change a role, deactivate (which also ends their sessions) and
 * reactivate. Every change is audited; a refused form shows itself again
 * with what was typed and the reason, in Italian.
 */
import { normalFiscalNumber } from "../auth/oidc-config.js";
import { fiscalDigest } from "./oidc-signin.js";
import { and, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { calendarTokens, offices, sessions, type UserRole, userOffices, users } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import { readForm } from "../http/body.js";
import { romeDateTime } from "./format.js";
import { isEmailAddress } from "../lib/email.js";
import { Layout } from "./layout.js";
import { Alert, ErrorSummary, Field, described } from "./ui.js";
import { INVITATION_DAYS, sendInvitation } from "./invitation.js";
import { OfficeChecklist } from "./office-checklist.js";
import { checkCsrf } from "./session.js";
import { createRouter } from "../http/router.js";

export const adminUsers = createRouter();

const ROLES: Record<UserRole, string> = {
  operator: "operatore d'ufficio", head: "capo dell'ufficio", admin: "amministratore",
  region: "funzionario regionale (relazioni)", ministry: "funzionario del ministero (relazioni)",
  dpo: "responsabile della protezione dei dati (registro degli accessi)",
};
const isRole = (r: unknown): r is UserRole => typeof r === "string" && Object.hasOwn(ROLES, r);

type InviteField = "nome" | "email" | "ruolo" | "uffici" | "regione" | "codicefiscale";
type Typed = { nome?: string; email?: string; role?: string; uffici?: string[]; regione?: string; codicefiscale?: string };

/** An Italian fiscal code's shape (omocodia letters allowed), once normalised. */
const FISCAL_CODE = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

/** The typed fiscal code's digest, what is wrong with it, or nothing typed. */
async function fiscalOf(c: Context<AppEnv>, raw: string, except?: string): Promise<{ hash: string | null } | { error: string }> {
  if (raw.trim() === "") return { hash: null };
  if (!FISCAL_CODE.test(normalFiscalNumber(raw))) return { error: "Codice fiscale non valido: 16 caratteri, come RSSMRA85T10A562S." };
  const hash = await fiscalDigest(c.env, raw);
  if (hash === null) return { error: "Il codice fiscale non può essere registrato: questa installazione non ha la chiave IDENTITY_KEY che lo protegge." };
  const other = await database(c.env.DB).select({ id: users.id }).from(users).where(eq(users.fiscalHash, hash)).get();
  return other !== undefined && other.id !== except ? { error: "Questo codice fiscale è già di un altro utente." } : { hash };
}
type Problem = { field: InviteField; message: string };

const status = (u: typeof users.$inferSelect) =>
  u.disabledAt !== null ? `disattivato il ${romeDateTime(u.disabledAt)}` : u.acceptedAt === null ? `invitato il ${romeDateTime(u.createdAt)}` : "attivo";

async function usersPage(c: Context<AppEnv>) {
  const db = database(c.env.DB);
  const [all, links, dir] = await Promise.all([db.select().from(users).orderBy(users.email).all(), db.select().from(userOffices).all(), db.select().from(offices).all()]);
  const names = new Map(dir.map((o) => [o.id, o.name]));
  const user = c.get("user");
  const invited = all.find((u) => u.id === c.req.query("invitato"));
  const resent = all.find((u) => u.id === c.req.query("reinviato"));
  const roleOptions = (selected?: string) => Object.entries(ROLES).map(([r, label]) => <option value={r} selected={r === selected}>{label}</option>);
  return c.html(
    <Layout title="Utenti" user={user} crumbs={[["/admin", "Amministrazione"]]}>
      {invited !== undefined && <Alert tone="success">Invito inviato a {invited.email}. L'utente risulta «invitato» finché non apre il link ricevuto (valido {INVITATION_DAYS} giorni).</Alert>}
      {resent !== undefined && <Alert tone="success">Nuovo invito inviato a {resent.email}.</Alert>}
      <p><a class="btn btn-primary" href="/admin/utenti/invita">Invita un utente</a></p>
      <table class="table table-stack">
        <thead><tr><th scope="col">Utente</th><th scope="col">Ruolo</th><th scope="col">Uffici</th><th scope="col">Stato</th><th scope="col">Modifica</th></tr></thead>
        <tbody>
          {all.map((u) => (
            <tr>
              <td data-label="Utente">{u.name !== null && <><strong>{u.name}</strong><br /></>}{u.email}{u.fiscalHash !== null && <><br /><span class="small muted">codice fiscale registrato (SPID, CIE)</span></>}</td>
              <td data-label="Ruolo">{ROLES[u.role]}{u.region ? `, ${u.region}` : ""}</td>
              <td data-label="Uffici">{links.filter((l) => l.userId === u.id).map((l) => names.get(l.officeId) ?? l.officeId).join("; ") || "—"}</td>
              <td data-label="Stato">{status(u)}</td>
              <td>
                {u.id === user.id ? <span class="muted">è il suo utente: un altro amministratore può modificarlo</span> : (
                <form method="post" action={`/admin/utenti/${u.id}`}>
                  <input type="hidden" name="csrf" value={user.csrf} />
                  <label for={`ruolo-${u.id}`} class="visually-hidden">Ruolo di {u.name ?? u.email}</label>
                  <select class="form-select form-select-sm mb-2" id={`ruolo-${u.id}`} name="ruolo">{roleOptions(u.role)}</select>
                  <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="ruolo">Cambia ruolo</button>{" "}
                  {u.disabledAt === null
                    ? <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="disattiva">Disattiva</button>
                    : <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="riattiva">Riattiva</button>}
                  {u.acceptedAt === null && u.disabledAt === null && <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="reinvita">Invia di nuovo l'invito</button>}
                  <label for={`cf-${u.id}`} class="visually-hidden">Codice fiscale di {u.name ?? u.email}</label>
                  <input class="form-control form-control-sm mt-2 mb-1" id={`cf-${u.id}`} name="codicefiscale" type="text" autocomplete="off" maxlength={22} placeholder="Codice fiscale (SPID, CIE)" />
                  <button type="submit" class="btn btn-outline-primary btn-sm" name="azione" value="codice-fiscale">{u.fiscalHash === null ? "Registra il codice fiscale" : "Sostituisci il codice fiscale"}</button>
                </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>,
  );
}

/** The invitation form on its own page: every office to tick, grouped by district; every error at once. */
async function invitePage(c: Context<AppEnv>, typed: Typed = {}, problems: Problem[] = []) {
  const dir = await database(c.env.DB).select().from(offices).orderBy(offices.jurisdiction, offices.name).all();
  const user = c.get("user");
  const errorOf = (f: InviteField) => problems.find((p) => p.field === f)?.message;
  const regions = [...new Set(dir.map((o) => o.region).filter((r): r is string => r !== null && r !== ""))].sort();
  const officesError = errorOf("uffici");
  return c.html(
    <Layout title="Invita un utente" user={user} crumbs={[["/admin", "Amministrazione"], ["/admin/utenti", "Utenti"]]}>
      <ErrorSummary errors={problems.map((p) => ({ field: p.field === "uffici" ? "uffici-elenco" : p.field, message: p.message }))} />
      <p>L'utente riceve per posta un invito con un link di accesso valido {INVITATION_DAYS} giorni; risulta «invitato» finché non lo apre.</p>
      <form method="post" action="/admin/utenti" novalidate>
        <input type="hidden" name="csrf" value={user.csrf} />
        <Field id="nome" label="Nome e cognome" error={errorOf("nome")}>
          <input {...described("nome", { error: errorOf("nome") })} name="nome" type="text" autocomplete="off" value={typed.nome ?? ""} />
        </Field>
        <Field id="email" label="Indirizzo di posta elettronica di servizio" error={errorOf("email")}>
          <input {...described("email", { error: errorOf("email") })} name="email" type="email" autocomplete="off" value={typed.email ?? ""} />
        </Field>
        <Field id="ruolo" label="Ruolo" error={errorOf("ruolo")}>
          <select {...described("ruolo", { error: errorOf("ruolo"), base: "form-select" })} name="ruolo">
            <option value="" selected={typed.role === undefined || typed.role === ""}>Scelga il ruolo</option>
            {Object.entries(ROLES).map(([r, label]) => <option value={r} selected={r === typed.role}>{label}</option>)}
          </select>
        </Field>
        <OfficeChecklist name="uffici" legend="Uffici" hint="Gli uffici di cui vede le scadenze. Obbligatori per gli operatori e i capi d'ufficio."
          offices={dir} ticked={typed.uffici ?? []} error={officesError} />
        <Field id="codicefiscale" label="Codice fiscale (facoltativo)" hint="Per l'accesso con SPID o CIE. Termini ne conserva solo un'impronta cifrata, che basta a riconoscere la persona, non il codice." error={errorOf("codicefiscale")}>
          <input {...described("codicefiscale", { hint: true, error: errorOf("codicefiscale") })} name="codicefiscale" type="text" autocomplete="off" maxlength={22} value={typed.codicefiscale ?? ""} />
        </Field>
        <Field id="regione" label="Regione" hint="Solo per i funzionari regionali: le relazioni di quale regione." error={errorOf("regione")}>
          <select {...described("regione", { hint: true, error: errorOf("regione"), base: "form-select" })} name="regione">
            <option value="" selected={!typed.regione}>Nessuna</option>
            {regions.map((r) => <option value={r} selected={r === typed.regione}>{r}</option>)}
          </select>
        </Field>
        <button type="submit" class="btn btn-primary me-2">Invia l'invito</button>
        <a class="btn btn-outline-secondary" href="/admin/utenti">Annulla</a>
      </form>
    </Layout>,
    problems.length > 0 ? 422 : 200,
  );
}

adminUsers.get("/admin/utenti", (c) => usersPage(c));
adminUsers.get("/admin/utenti/invita", (c) => invitePage(c));

adminUsers.post("/admin/utenti", async (c) => {
  const now = Date.now();
  const form = await readForm(c.req.raw, { multi: ["uffici"] });
  checkCsrf(c.get("user").csrf, form.csrf);
  const ticked = (form.uffici ?? "").split(",").filter(Boolean);
  const typed: Typed = { nome: String(form.nome ?? "").trim(), email: String(form.email ?? "").trim().toLowerCase(), role: String(form.ruolo ?? ""), uffici: ticked, regione: String(form.regione ?? "").trim(), codicefiscale: String(form.codicefiscale ?? "").trim() };
  const db = database(c.env.DB);
  const dir = await db.select({ id: offices.id, region: offices.region }).from(offices).all();
  const known = new Set(dir.map((o) => o.id));
  const problems: Problem[] = [];
  const refuse = (field: InviteField, message: string) => problems.push({ field, message });
  if (typed.nome!.length < 3) refuse("nome", "Indichi nome e cognome.");
  if (!isEmailAddress(typed.email!)) refuse("email", "Indirizzo di posta elettronica non valido.");
  else if ((await db.select({ id: users.id }).from(users).where(eq(users.email, typed.email!)).get()) !== undefined) refuse("email", "Esiste già un utente con questo indirizzo.");
  if (!isRole(typed.role)) refuse("ruolo", "Scelga il ruolo.");
  if (ticked.some((o) => !known.has(o))) refuse("uffici", "Uno degli uffici scelti non è più in rubrica.");
  else if ((typed.role === "operator" || typed.role === "head") && ticked.length === 0) refuse("uffici", "Scelga almeno un ufficio.");
  else if (typed.role === "dpo" && ticked.length > 0) refuse("uffici", "Il responsabile della protezione dei dati non opera per un ufficio: non ne scelga.");
  if (typed.role === "region" && !dir.some((o) => o.region === typed.regione)) refuse("regione", "Scelga la regione di cui il funzionario riceve le relazioni.");
  const fiscal = await fiscalOf(c, typed.codicefiscale!);
  if ("error" in fiscal) refuse("codicefiscale", fiscal.error);
  if (problems.length > 0 || !isRole(typed.role) || "error" in fiscal) return invitePage(c, typed, problems);
  const id = crypto.randomUUID();
  await db.batch([
    db.insert(users).values({ id, email: typed.email!, name: typed.nome!, role: typed.role, region: typed.role === "region" ? typed.regione! : null, createdAt: now, fiscalHash: fiscal.hash }),
    ...ticked.map((officeId) => db.insert(userOffices).values({ userId: id, officeId })),
  ]);
  await sendInvitation(c.env, db, { id, email: typed.email!, name: typed.nome! }, ROLES[typed.role], now);
  await audit(db, { actor: c.get("user").principal.id, action: "user.invited", caseId: null, requestId: c.get("requestId"), detail: { user: id, role: typed.role, offices: ticked } }, now);
  return c.redirect(`/admin/utenti?invitato=${id}`, 303);
});

adminUsers.post("/admin/utenti/:id", async (c) => {
  const now = Date.now();
  const me = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(me.csrf, form.csrf);
  const db = database(c.env.DB);
  const id = c.req.param("id");
  const target = await db.select().from(users).where(eq(users.id, id)).get();
  if (target === undefined) throw new ApiError("not_found", "Utente non trovato");
  // An administrator cannot lock themselves out.
  if (id === me.id) throw new ApiError("forbidden", "Non può modificare il proprio ruolo o disattivare se stesso");
  const action = String(form.azione ?? "");
  const actor = me.principal.id;
  if (action === "ruolo") {
    if (!isRole(form.ruolo)) throw new ApiError("invalid_parameter", "ruolo: ruolo non valido", { parameter: "ruolo" });
    await db.batch([
      db.update(users).set({ role: form.ruolo }).where(eq(users.id, id)),
      // The data-protection officer reads the log only: no office, no calendar of deadlines.
      ...(form.ruolo === "dpo" ? [
        db.delete(userOffices).where(eq(userOffices.userId, id)),
        db.update(calendarTokens).set({ revokedAt: now }).where(and(eq(calendarTokens.userId, id), isNull(calendarTokens.revokedAt))),
      ] : []),
    ]);
    await audit(db, { actor, action: "user.role-changed", caseId: null, requestId: c.get("requestId"), detail: { user: id, from: target.role, to: form.ruolo } }, now);
  } else if (action === "disattiva" || action === "riattiva") {
    const off = action === "disattiva";
    await db.batch([
      db.update(users).set({ disabledAt: off ? now : null }).where(eq(users.id, id)),
      // Deactivated: their open sessions end now.
      ...(off ? [db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)))] : []),
    ]);
    await audit(db, { actor, action: off ? "user.disabled" : "user.enabled", caseId: null, requestId: c.get("requestId"), detail: { user: id } }, now);
  } else if (action === "codice-fiscale") {
    const fiscal = await fiscalOf(c, String(form.codicefiscale ?? ""), id);
    if ("error" in fiscal || fiscal.hash === null) throw new ApiError("invalid_parameter", `codicefiscale: ${"error" in fiscal ? fiscal.error : "inserisca il codice fiscale."}`, { parameter: "codicefiscale" });
    await db.update(users).set({ fiscalHash: fiscal.hash }).where(eq(users.id, id)).run();
    await audit(db, { actor, action: "user.fiscal-number-set", caseId: null, requestId: c.get("requestId"), detail: { user: id } }, now);
  } else if (action === "reinvita" && target.acceptedAt === null && target.disabledAt === null) {
    await sendInvitation(c.env, db, target, ROLES[target.role], now);
    await audit(db, { actor, action: "user.reinvited", caseId: null, requestId: c.get("requestId"), detail: { user: id } }, now);
    return c.redirect(`/admin/utenti?reinviato=${id}`, 303);
  } else {
    throw new ApiError("invalid_parameter", "azione: azione non valida", { parameter: "azione" });
  }
  return c.redirect("/admin/utenti", 303);
});


