/**
 * The systems that send signed webhooks: create one (its offices ticked by name, the events it may
 * record for any office chosen from the catalogue), rotate its secret. A secret is shown once, in
 * the answer to the request that made it — never in a URL. Every change audited.
 */
import type { Context } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { offices, senderEventTypes, senderOffices, webhookSecrets, webhookSenders } from "../db/schema.js";
import { eventLabel, eventTypes } from "../timelines/catalog.js";
import { ApiError } from "../http/problem.js";
import { ROTATION_OVERLAP_MS, newSecret } from "../auth/standard-webhooks.js";
import { romeDateTime as when } from "./format.js";
import { readForm } from "../http/body.js";
import { Layout } from "./layout.js";
import { OfficeChecklist } from "./office-checklist.js";
import { ErrorSummary, type FieldError, Field, SecretOnce, described } from "./ui.js";
import { checkCsrf } from "./session.js";
import { createRouter } from "../http/router.js";

export const adminSenders = createRouter();

type Typed = { id?: string; nome?: string; uffici?: string[]; eventi?: string[] };

async function sendersPage(c: Context<AppEnv>, shown: { fresh?: { sender: string; secret: string }; typed?: Typed; errors?: FieldError[] } = {}) {
  const { typed = {}, errors = [] } = shown;
  const errorOf = (f: string) => errors.find((e) => e.field === f || e.field === `${f}-elenco`)?.message;
  const db = database(c.env.DB);
  const [senders, dir, secrets, links, trusted] = await Promise.all([
    db.select().from(webhookSenders).all(), db.select().from(offices).all(), db.select().from(webhookSecrets).all(),
    db.select().from(senderOffices).all(), db.select().from(senderEventTypes).all(),
  ]);
  const names = new Map(dir.map((o) => [o.id, o.name]));
  const user = c.get("user");
  if (shown.fresh !== undefined) c.header("Cache-Control", "no-store");
  const types = [...eventTypes()].sort((a, b) => eventLabel(a).localeCompare(eventLabel(b), "it"));
  return c.html(
    <Layout title="Sistemi mittenti" user={user} crumbs={[["/admin", "Amministrazione"]]}>
      <ErrorSummary errors={errors} />
      {shown.fresh && <SecretOnce secret={shown.fresh.secret} hint={`Il segreto di «${names.get(shown.fresh.sender) ?? shown.fresh.sender}» è mostrato una sola volta: lo copi ora nel sistema mittente.`} />}
      <table class="table table-stack">
        <thead><tr><th scope="col">Mittente</th><th scope="col">Uffici</th><th scope="col">Eventi fidati</th><th scope="col">Segreti</th><th scope="col">Rotazione</th></tr></thead>
        <tbody>
          {senders.map((s) => (
            <tr>
              <td data-label="Mittente">{s.name}<br /><code class="muted">{s.id}</code><br /><span class="muted small">creato il {when(s.createdAt)}</span></td>
              <td data-label="Uffici">{links.filter((l) => l.senderId === s.id).map((l) => names.get(l.officeId) ?? l.officeId).join("; ")}</td>
              <td data-label="Eventi fidati">{trusted.filter((t) => t.senderId === s.id).map((t) => eventLabel(t.eventType)).join("; ") || "—"}</td>
              <td data-label="Segreti">{secrets.filter((k) => k.senderId === s.id).map((k) => <div>creato il {when(k.createdAt)}, {k.expiresAt === null ? "attivo" : `valido fino al ${when(k.expiresAt)}`}</div>)}</td>
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
      <form method="post" action="/admin/mittenti" novalidate>
        <input type="hidden" name="csrf" value={user.csrf} />
        <Field id="id" label="Identificativo" hint="Lettere minuscole, cifre e trattini, da 2 a 40: compare nelle firme del sistema mittente." error={errorOf("id")}>
          <input type="text" {...described("id", { hint: true, error: errorOf("id") })} name="id" value={typed.id ?? ""} />
        </Field>
        <Field id="nome" label="Nome" error={errorOf("nome")}>
          <input type="text" {...described("nome", { error: errorOf("nome") })} name="nome" value={typed.nome ?? ""} />
        </Field>
        <OfficeChecklist name="uffici" legend="Uffici per cui opera" hint="Il sistema registra eventi per i procedimenti di questi uffici."
          offices={dir} ticked={typed.uffici ?? []} error={errorOf("uffici")} />
        <fieldset id="eventi-elenco" tabindex={-1} class="mb-4" aria-describedby="eventi-aiuto">
          <legend class="h6">Eventi che può registrare per qualunque ufficio (facoltativo)</legend>
          <p id="eventi-aiuto" class="form-text">Solo per i sistemi a cui la legge affida la comunicazione dell'atto, per esempio la Questura per l'allontanamento eseguito.</p>
          {errorOf("eventi") !== undefined && <div class="invalid-feedback d-block">{errorOf("eventi")}</div>}
          <details open={(typed.eventi ?? []).length > 0}>
            <summary>Scegli gli eventi</summary>
            {types.map((t) => (
              <div class="form-check">
                <input type="checkbox" id={`eventi-${t}`} name="eventi" value={t} checked={typed.eventi?.includes(t) === true} />
                <label for={`eventi-${t}`}>{eventLabel(t)}</label>
              </div>
            ))}
          </details>
        </fieldset>
        <button type="submit" class="btn btn-primary">Crea il mittente</button>
      </form>
    </Layout>,
    errors.length > 0 ? 422 : 200,
  );
}

adminSenders.get("/admin/mittenti", (c) => sendersPage(c));

/** Rotation keeps the old secrets valid for a day, so the sender can switch without losing events. */
adminSenders.post("/admin/mittenti/:id/ruota", async (c) => {
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
  return sendersPage(c, { fresh: { sender: id, secret } });
});

adminSenders.post("/admin/mittenti", async (c) => {
  const now = Date.now();
  const user = c.get("user");
  const form = await readForm(c.req.raw, { multi: ["uffici", "eventi"] });
  checkCsrf(user.csrf, form.csrf);
  const list = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const typed = { id: String(form.id ?? "").trim(), nome: String(form.nome ?? "").trim(), uffici: list(form.uffici), eventi: list(form.eventi) };
  const db = database(c.env.DB);
  const known = new Set((await db.select({ id: offices.id }).from(offices).all()).map((o) => o.id));
  const errors: FieldError[] = [];
  if (!/^[a-z0-9-]{2,40}$/.test(typed.id)) errors.push({ field: "id", message: "Identificativo richiesto: lettere minuscole, cifre e trattini, da 2 a 40." });
  else if ((await db.select().from(webhookSenders).where(eq(webhookSenders.id, typed.id)).get()) !== undefined) errors.push({ field: "id", message: `Il mittente ${typed.id} esiste già.` });
  if (typed.nome.length < 3) errors.push({ field: "nome", message: "Nome richiesto (almeno 3 caratteri)." });
  if (typed.uffici.length === 0) errors.push({ field: "uffici-elenco", message: "Scelga almeno un ufficio." });
  else if (typed.uffici.some((o) => !known.has(o))) errors.push({ field: "uffici-elenco", message: "Uno degli uffici scelti non è più in rubrica." });
  if (typed.eventi.some((t) => !eventTypes().has(t))) errors.push({ field: "eventi-elenco", message: "Uno degli eventi scelti non è nel catalogo." });
  if (errors.length > 0) return sendersPage(c, { typed, errors });
  const secret = newSecret();
  await db.batch([
    db.insert(webhookSenders).values({ id: typed.id, name: typed.nome, createdAt: now }),
    ...typed.uffici.map((officeId) => db.insert(senderOffices).values({ senderId: typed.id, officeId })),
    ...typed.eventi.map((eventType) => db.insert(senderEventTypes).values({ senderId: typed.id, eventType })),
    db.insert(webhookSecrets).values({ id: `${typed.id}-${now}`, senderId: typed.id, secret, createdAt: now }),
  ]);
  await audit(db, { actor: user.principal.id, action: "sender.created", caseId: null, requestId: c.get("requestId"), detail: { sender: typed.id, offices: typed.uffici, trustedEvents: typed.eventi } }, now);
  return sendersPage(c, { fresh: { sender: typed.id, secret } });
});
