/**
 * Admin pages: the office directory with each escalation chain, webhook
 * senders (create, rotate the secret), the outbox with delivery status,
 * and the audit log. Admins only; every change audited.
 */
import type { Context } from "hono";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { offices, senderEventTypes, senderOffices, webhookSecrets, webhookSenders } from "../db/schema.js";
import { eventLabel, eventTypes } from "../timelines/catalog.js";
import { ApiError } from "../http/problem.js";
import { ROTATION_OVERLAP_MS, newSecret } from "../auth/standard-webhooks.js";
import { romeDateTime } from "./format.js";
import { checkIntegrity, withdrawDuplicate } from "../domain/integrity.js";
import { readForm } from "../http/body.js";
import { Layout } from "./layout.js";
import { Alert, Field, SecretOnce, described } from "./ui.js";
import { checkCsrf, requireUser } from "./session.js";
import { adminUsers } from "./admin-users.js";
import { adminOffices } from "./admin-offices.js";
import { adminLog } from "./admin-log.js";
import { adminMail } from "./admin-mail.js";
import { adminWebhooks } from "./admin-webhooks.js";

export const admin = new Hono<AppEnv>();

admin.use("/admin/*", requireUser, async (c, next) => {
  if (c.get("user").role !== "admin") throw new ApiError("forbidden", "Pagine riservate agli amministratori");
  await next();
});
admin.route("/", adminUsers);
admin.route("/", adminOffices);
admin.route("/", adminLog);
admin.route("/", adminMail);
admin.route("/", adminWebhooks);

const when = romeDateTime;

admin.get("/admin", async (c) => {
  const found = await checkIntegrity(c.env);
  const user = c.get("user");
  return c.html(
    <Layout title="Amministrazione" user={user} current="/admin">
      {c.req.query("ritirato") === "1" && <Alert tone="success">Duplicato ritirato: i suoi scadenzari non inviano più promemoria né segnalazioni, e gli uffici ne sono stati avvisati.</Alert>}
      {found.misplaced.length > 0 && (
        <div class="alert alert-danger" role="alert">
          <p><strong>{found.misplaced.length === 1 ? "Un procedimento è conservato" : `${found.misplaced.length} procedimenti sono conservati`} fuori dal distretto dell'ufficio titolare.</strong>{" "}
            Gli uffici del suo distretto non lo trovano: va spostato nel database del distretto giusto.</p>
          <ul>{found.misplaced.map((m) => <li>{m.ref} ({m.office}): nel distretto {m.district}, appartiene al distretto {m.belongsTo}</li>)}</ul>
        </div>
      )}
      {found.referenceCollisions.length > 0 && (
        <section class="alert alert-danger" aria-labelledby="riferimenti">
          <h2 id="riferimenti" class="h5">Riferimenti doppi da verificare</h2>
          <p>Questi procedimenti hanno lo stesso numero di un altro dello stesso ufficio, scritto diversamente (per esempio con zeri iniziali).
            Ritirare il duplicato ne ferma gli scadenzari; l'altro procedimento, con il riferimento nella forma corretta, prosegue.</p>
          <ul class="list-unstyled">
            {found.referenceCollisions.map((r) => (
              <li class="mb-2">
                <form method="post" action={`/admin/riferimenti/${r.caseId}/ritira`}>
                  <input type="hidden" name="csrf" value={user.csrf} />
                  «{r.ref}» dell'ufficio {r.office}, come «{r.canonical}»{r.running ? " — con scadenzari in corso" : ""}{" "}
                  <button type="submit" class="btn btn-sm btn-outline-danger">Ritira il duplicato «{r.ref}»</button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      )}
      {found.awaitingMove > 0 && (
        <div class="alert alert-warning" role="status">
          {found.awaitingMove === 1 ? "Un procedimento attende" : `${found.awaitingMove} procedimenti attendono`} lo spostamento dal database centrale a quello del proprio distretto (npm run districts:move).
        </div>
      )}
      <ul>
        <li><a href="/admin/utenti">Utenti: inviti, ruoli, disattivazione</a></li>
        <li><a href="/admin/uffici">Rubrica degli uffici e catene di segnalazione</a></li>
        <li><a href="/admin/mittenti">Sistemi mittenti dei webhook</a></li>
        <li><a href="/admin/webhook">Webhook in uscita: abbonamenti, recapiti, eventi non consegnati</a></li>
        <li><a href="/admin/posta">Posta in uscita e stato di recapito</a></li>
        <li><a href="/admin/registro">Registro degli accessi e delle modifiche</a></li>
      </ul>
    </Layout>,
  );
});

admin.post("/admin/riferimenti/:caseId/ritira", async (c) => {
  const user = c.get("user");
  checkCsrf(user.csrf, (await readForm(c.req.raw)).csrf);
  await withdrawDuplicate(c.env, user.principal, c.req.param("caseId"), Date.now(), c.get("requestId"));
  return c.redirect("/admin?ritirato=1", 303);
});

admin.get("/admin/mittenti", (c) => sendersPage(c));

/**
 * The senders, and (`fresh`) a secret just created: shown once, in the answer to
 * the POST that made it — never in a URL, where logs and history would keep it.
 */
async function sendersPage(c: Context<AppEnv>, fresh?: string, typed: Record<string, string> & { error?: string; field?: string } = {}) {
  // A refusal is said next to the field it is about.
  const errorAt = (f: string) => (typed.field === f ? typed.error : undefined);
  const db = database(c.env.DB);
  const senders = await db.select().from(webhookSenders).all();
  const names = new Map((await db.select({ id: offices.id, name: offices.name }).from(offices).all()).map((o) => [o.id, o.name]));
  const secrets = await db.select().from(webhookSecrets).all();
  const links = await db.select().from(senderOffices).all();
  const trusted = await db.select().from(senderEventTypes).all();
  const user = c.get("user");
  if (fresh !== undefined) c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Sistemi mittenti" user={user}>
      {fresh && <SecretOnce secret={fresh} hint="Mostrato una sola volta: lo copi ora nel sistema mittente." />}
      <table class="table table-stack">
        <thead><tr><th scope="col">Mittente</th><th scope="col">Uffici</th><th scope="col">Eventi fidati</th><th scope="col">Segreti</th><th scope="col">Rotazione</th></tr></thead>
        <tbody>
          {senders.map((s) => (
            <tr>
              <td>{s.name}<br /><code class="muted">{s.id}</code></td>
              <td>{links.filter((l) => l.senderId === s.id).map((l) => names.get(l.officeId) ?? l.officeId).join("; ")}</td>
              <td>{trusted.filter((t) => t.senderId === s.id).map((t) => `${eventLabel(t.eventType)} (${t.eventType})`).join("; ") || "—"}</td>
              <td>{secrets.filter((k) => k.senderId === s.id).map((k) => <div>{k.id}: creato {when(k.createdAt)}, {k.expiresAt === null ? "attivo" : `scade ${when(k.expiresAt)}`}</div>)}</td>
              <td>
                <form method="post" action={`/admin/mittenti/${s.id}/ruota`}>
                  <input type="hidden" name="csrf" value={user.csrf} />
                  <button type="submit" class="btn btn-outline-primary btn-sm">Nuovo segreto</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Nuovo mittente</h2>
      <form method="post" action="/admin/mittenti">
        <input type="hidden" name="csrf" value={user.csrf} />
        <Field id="id" label="Identificativo" hint="Lettere minuscole, cifre e trattini, da 2 a 40." error={errorAt("id")}>
          <input type="text" {...described("id", { hint: true, error: errorAt("id") })} name="id" required pattern="[a-z0-9-]{2,40}" value={typed.id ?? ""} />
        </Field>
        <Field id="nome" label="Nome" error={errorAt("nome")}>
          <input type="text" {...described("nome", { error: errorAt("nome") })} name="nome" required value={typed.nome ?? ""} />
        </Field>
        <Field id="uffici" label="Uffici per cui opera" hint="Identificativi separati da virgola." error={errorAt("uffici")}>
          <input type="text" {...described("uffici", { hint: true, error: errorAt("uffici") })} name="uffici" required value={typed.uffici ?? ""} />
        </Field>
        <Field id="eventi" label="Tipi di evento che può registrare per qualunque ufficio (facoltativo, separati da virgola)"
          hint="Solo per sistemi a cui la legge affida la comunicazione dell'atto, es. la Questura per removal.executed." error={errorAt("eventi")}>
          <input type="text" {...described("eventi", { hint: true, error: errorAt("eventi") })} name="eventi" value={typed.eventi ?? ""} />
        </Field>
        <button type="submit" class="btn btn-primary">Crea il mittente</button>
      </form>
    </Layout>,
    typed.error ? 422 : 200,
  );
}

/** Rotation keeps the old secrets valid for a day, so the sender can switch without losing events. */

admin.post("/admin/mittenti/:id/ruota", async (c) => {
  const now = Date.now();
  const user = c.get("user");
  checkCsrf(user.csrf, (await readForm(c.req.raw)).csrf);
  const db = database(c.env.DB);
  const id = c.req.param("id");
  if ((await db.select().from(webhookSenders).where(eq(webhookSenders.id, id)).get()) === undefined) throw new ApiError("not_found", `Mittente ${id} non trovato`);
  const secret = newSecret();
  const current = await db.select().from(webhookSecrets).where(eq(webhookSecrets.senderId, id)).all();
  await db.batch([
    db.insert(webhookSecrets).values({ id: `${id}-${now}`, senderId: id, secret, createdAt: now }),
    ...current.filter((k) => k.expiresAt === null || k.expiresAt > now + ROTATION_OVERLAP_MS)
      .map((k) => db.update(webhookSecrets).set({ expiresAt: now + ROTATION_OVERLAP_MS }).where(eq(webhookSecrets.id, k.id))),
  ]);
  await audit(db, { actor: user.principal.id, action: "sender.rotated", caseId: null, requestId: c.get("requestId"), detail: { sender: id } }, now);
  return sendersPage(c, secret);
});

admin.post("/admin/mittenti", async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw);
  checkCsrf(user.csrf, form.csrf);
  const id = String(form.id ?? "");
  const name = String(form.nome ?? "").trim();
  const officeIds = String(form.uffici ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const eventTypesTrusted = String(form.eventi ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  // A refusal shows the form again, with what was typed and the reason.
  const refuse = (field: string, error: string) => sendersPage(c, undefined, {
    id, nome: name, uffici: String(form.uffici ?? ""), eventi: String(form.eventi ?? ""), error, field,
  });
  const strayEvent = eventTypesTrusted.find((t) => !eventTypes().has(t));
  if (strayEvent !== undefined) return refuse("eventi", `${strayEvent.slice(0, 64)} non è un tipo di evento del catalogo.`);
  if (!/^[a-z0-9-]{2,40}$/.test(id)) return refuse("id", "Identificativo richiesto: lettere minuscole, cifre e trattini, da 2 a 40.");
  if (name.length < 3) return refuse("nome", "Nome richiesto (almeno 3 caratteri).");
  if (officeIds.length === 0) return refuse("uffici", "Indichi almeno un ufficio.");
  const db = database(c.env.DB);
  const known = new Set((await db.select({ id: offices.id }).from(offices).all()).map((o) => o.id));
  const unknown = officeIds.find((o) => !known.has(o));
  if (unknown !== undefined) return refuse("uffici", `L'ufficio ${unknown.slice(0, 64)} non è in rubrica.`);
  if ((await db.select().from(webhookSenders).where(eq(webhookSenders.id, id)).get()) !== undefined) return refuse("id", `Il mittente ${id} esiste già.`);
  const secret = newSecret();
  await db.batch([
    db.insert(webhookSenders).values({ id, name, createdAt: now }),
    ...officeIds.map((officeId) => db.insert(senderOffices).values({ senderId: id, officeId })),
    ...eventTypesTrusted.map((eventType) => db.insert(senderEventTypes).values({ senderId: id, eventType })),
    db.insert(webhookSecrets).values({ id: `${id}-${now}`, senderId: id, secret, createdAt: now }),
  ]);
  await audit(db, { actor: user.principal.id, action: "sender.created", caseId: null, requestId: c.get("requestId"), detail: { sender: id, offices: officeIds, trustedEvents: eventTypesTrusted } }, now);
  return sendersPage(c, secret);
});
