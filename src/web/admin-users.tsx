/**
 * Administrators manage the people who use Termini: invite (email, role,
 * offices), change a role, deactivate (which also ends their sessions) and
 * reactivate. Every change is audited; a refused form shows itself again
 * with what was typed and the reason, in Italian.
 */
import { and, eq, isNull } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { type UserRole, offices, sessions, userOffices, users } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import { readForm } from "../http/body.js";
import { romeDateTime } from "./format.js";
import { isEmailAddress } from "../lib/email.js";
import { Layout } from "./layout.js";
import { Field, described } from "./ui.js";
import { checkCsrf } from "./session.js";

export const adminUsers = new Hono<AppEnv>();

const ROLES: Record<UserRole, string> = {
  operator: "operatore d'ufficio", head: "capo dell'ufficio", admin: "amministratore",
  region: "funzionario regionale (relazioni)", ministry: "funzionario del ministero (relazioni)",
};
const isRole = (r: unknown): r is UserRole => typeof r === "string" && Object.hasOwn(ROLES, r);

type InviteField = "email" | "ruolo" | "uffici" | "regione";
type Typed = { email?: string; role?: string; uffici?: string; regione?: string; error?: string; field?: InviteField };

async function usersPage(c: Context<AppEnv>, typed: Typed = {}) {
  // A refusal is said next to the field it is about.
  const errorAt = (f: InviteField) => (typed.field === f ? typed.error : undefined);
  const db = database(c.env.DB);
  const [all, links] = await Promise.all([db.select().from(users).orderBy(users.email).all(), db.select().from(userOffices).all()]);
  const user = c.get("user");
  const roleOptions = (selected?: string) => Object.entries(ROLES).map(([r, label]) => <option value={r} selected={r === selected}>{label}</option>);
  return c.html(
    <Layout title="Utenti" user={user}>
      <table class="table table-stack">
        <thead><tr><th scope="col">Utente</th><th scope="col">Ruolo</th><th scope="col">Uffici</th><th scope="col">Stato</th><th scope="col">Modifica</th></tr></thead>
        <tbody>
          {all.map((u) => (
            <tr>
              <td>{u.email}</td>
              <td>{ROLES[u.role]}{u.region ? ` (${u.region})` : ""}</td>
              <td>{links.filter((l) => l.userId === u.id).map((l) => l.officeId).join(", ") || "—"}</td>
              <td>{u.disabledAt === null ? "attivo" : `disattivato il ${romeDateTime(u.disabledAt)}`}</td>
              <td>
                {u.id === user.id ? <span class="muted">il suo utente</span> : (
                <form method="post" action={`/admin/utenti/${u.id}`}>
                  <input type="hidden" name="csrf" value={user.csrf} />
                  <label for={`ruolo-${u.id}`} class="visually-hidden">Ruolo di {u.email}</label>
                  <select class="form-select form-select-sm mb-2" id={`ruolo-${u.id}`} name="ruolo">{roleOptions(u.role)}</select>
                  <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="ruolo">Cambia ruolo</button>{" "}
                  {u.disabledAt === null
                    ? <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="disattiva">Disattiva</button>
                    : <button type="submit" class="btn btn-outline-primary btn-sm me-1" name="azione" value="riattiva">Riattiva</button>}
                </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Invita un utente</h2>
      <form method="post" action="/admin/utenti">
        <input type="hidden" name="csrf" value={user.csrf} />
        <Field id="email" label="Indirizzo di posta elettronica" error={errorAt("email")}>
          <input {...described("email", { error: errorAt("email") })} name="email" type="email" required value={typed.email ?? ""} />
        </Field>
        <Field id="ruolo" label="Ruolo" error={errorAt("ruolo")}>
          <select {...described("ruolo", { error: errorAt("ruolo"), base: "form-select" })} name="ruolo">{roleOptions(typed.role)}</select>
        </Field>
        <Field id="uffici" label="Uffici" hint="Identificativi separati da virgola; per i funzionari regionali e ministeriali facoltativi." error={errorAt("uffici")}>
          <input {...described("uffici", { hint: true, error: errorAt("uffici") })} type="text" name="uffici" value={typed.uffici ?? ""} />
        </Field>
        <Field id="regione" label="Regione" hint="Solo per i funzionari regionali, es. Piemonte." error={errorAt("regione")}>
          <input {...described("regione", { hint: true, error: errorAt("regione") })} type="text" name="regione" value={typed.regione ?? ""} />
        </Field>
        <button type="submit" class="btn btn-primary">Invita</button>
      </form>
      <p class="muted">L'utente invitato accede con il link che riceve chiedendolo alla pagina di accesso.</p>
    </Layout>,
    typed.error ? 422 : 200,
  );
}

adminUsers.get("/admin/utenti", (c) => usersPage(c));

adminUsers.post("/admin/utenti", async (c) => {
  const now = Date.now();
  const form = await readForm(c.req.raw);
  checkCsrf(c.get("user").csrf, form.csrf);
  const typed: Typed = { email: String(form.email ?? "").trim().toLowerCase(), role: String(form.ruolo ?? ""), uffici: String(form.uffici ?? ""), regione: String(form.regione ?? "").trim() };
  const db = database(c.env.DB);
  const officeIds = typed.uffici!.split(",").map((s) => s.trim()).filter(Boolean);
  const known = new Set((await db.select({ id: offices.id, region: offices.region }).from(offices).all()).flatMap((o) => [o.id, `regione:${o.region}`]));
  const refuse = (field: InviteField, error: string) => usersPage(c, { ...typed, error, field });
  if (!isEmailAddress(typed.email!)) return refuse("email", "Indirizzo di posta elettronica non valido.");
  if (!isRole(typed.role)) return refuse("ruolo", "Ruolo non valido.");
  const unknown = officeIds.find((o) => !known.has(o));
  if (unknown !== undefined) return refuse("uffici", `L'ufficio ${unknown.slice(0, 64)} non è in rubrica.`);
  if ((typed.role === "operator" || typed.role === "head") && officeIds.length === 0) return refuse("uffici", "Indichi almeno un ufficio.");
  if (typed.role === "region" && !known.has(`regione:${typed.regione}`)) return refuse("regione", "Indichi una regione presente in rubrica, es. Piemonte.");
  if ((await db.select({ id: users.id }).from(users).where(eq(users.email, typed.email!)).get()) !== undefined) return refuse("email", "Esiste già un utente con questo indirizzo.");
  const id = crypto.randomUUID();
  await db.batch([
    db.insert(users).values({ id, email: typed.email!, role: typed.role, region: typed.role === "region" ? typed.regione! : null, createdAt: now }),
    ...officeIds.map((officeId) => db.insert(userOffices).values({ userId: id, officeId })),
  ]);
  await audit(db, { actor: c.get("user").principal.id, action: "user.invited", caseId: null, requestId: c.get("requestId"), detail: { user: id, role: typed.role, offices: officeIds } }, now);
  return c.redirect("/admin/utenti", 303);
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
    await db.update(users).set({ role: form.ruolo }).where(eq(users.id, id)).run();
    await audit(db, { actor, action: "user.role-changed", caseId: null, requestId: c.get("requestId"), detail: { user: id, from: target.role, to: form.ruolo } }, now);
  } else if (action === "disattiva" || action === "riattiva") {
    const off = action === "disattiva";
    await db.batch([
      db.update(users).set({ disabledAt: off ? now : null }).where(eq(users.id, id)),
      // Deactivated: their open sessions end now.
      ...(off ? [db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)))] : []),
    ]);
    await audit(db, { actor, action: off ? "user.disabled" : "user.enabled", caseId: null, requestId: c.get("requestId"), detail: { user: id } }, now);
  } else {
    throw new ApiError("invalid_parameter", "azione: azione non valida", { parameter: "azione" });
  }
  return c.redirect("/admin/utenti", 303);
});


