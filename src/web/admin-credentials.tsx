/**
 * /admin/credenziali — the API credentials an administrator issues: for an
 * office's system (its offices ticked by name), or for a region's or the
 * Ministry's (reports only), each with the purpose its reads serve. The
 * token is shown once, in the answer that made it; revoking is immediate.
 * Every act audited (src/domain/access/credentials.ts).
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { database } from "../db/client.js";
import { apiCredentials, credentialOffices, offices } from "../db/schema.js";
import { type CredentialInput, type IssuedRole, ISSUED_ROLES, credentialProblems, issueCredential, revokeCredential } from "../domain/access/credentials.js";
import { readForm } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { romeDateTime as when } from "./format.js";
import { Layout } from "./layout.js";
import { OfficeChecklist } from "./office-checklist.js";
import { checkCsrf } from "./session.js";
import { Alert, ErrorSummary, Field, type FieldError, SecretOnce, described } from "./ui.js";
import { createRouter } from "../http/router.js";

export const adminCredentials = createRouter();

const ROLE_LABELS: Record<IssuedRole | "admin" | "dpo", string> = {
  staff: "Sistema di un ufficio: procedimenti e scadenze dei suoi uffici", region: "Regione: solo le relazioni della regione",
  ministry: "Ministero: solo le relazioni", admin: "Amministrazione del servizio", dpo: "Responsabile della protezione dei dati",
};

type Typed = Partial<CredentialInput> & { offices?: string[] };

async function page(c: Context<AppEnv>, shown: { fresh?: { name: string; token: string }; typed?: Typed; errors?: FieldError[]; revoked?: string } = {}) {
  const { typed = {}, errors = [] } = shown;
  const errorOf = (f: string) => errors.find((e) => e.field === f)?.message;
  const db = database(c.env.DB);
  const [creds, links, dir] = await Promise.all([
    db.select().from(apiCredentials).orderBy(apiCredentials.createdAt).all(), db.select().from(credentialOffices).all(), db.select().from(offices).orderBy(offices.name).all(),
  ]);
  const names = new Map(dir.map((o) => [o.id, o.name]));
  const regions = [...new Set(dir.filter((o) => o.kind === "regione").map((o) => o.region))].sort((a, b) => a.localeCompare(b, "it"));
  const user = c.get("user");
  if (shown.fresh !== undefined) c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Credenziali API" user={user} crumbs={[["/admin", "Amministrazione"]]}>
      <ErrorSummary errors={errors} />
      {shown.fresh && <SecretOnce label="Nuovo token" secret={shown.fresh.token} hint={`Il token di «${shown.fresh.name}» è mostrato una sola volta: lo consegni ora a chi gestisce il sistema, che lo usa come Authorization: Bearer.`} />}
      {shown.revoked && <Alert tone="success">Credenziale «{shown.revoked}» revocata: da ora ogni richiesta con essa è rifiutata.</Alert>}
      <p>Le credenziali con cui i sistemi degli uffici, delle Regioni e del Ministero usano l'API. Ognuna dichiara la finalità per cui consulta i dati: il registro degli accessi la riporta.</p>
      <table class="table table-stack">
        <thead><tr><th scope="col">Credenziale</th><th scope="col">Per</th><th scope="col">Finalità</th><th scope="col">Stato</th><th scope="col">Azione</th></tr></thead>
        <tbody>
          {creds.map((k) => (
            <tr>
              <td data-label="Credenziale">{k.name}<br /><code class="muted">{k.id}</code><br /><span class="muted small">rilasciata il {when(k.createdAt)}</span></td>
              <td data-label="Per">{ROLE_LABELS[k.role]}{k.role === "region" && k.region ? ` (${k.region})` : ""}
                {k.role === "staff" && <div class="small">{links.filter((l) => l.credentialId === k.id).map((l) => names.get(l.officeId) ?? l.officeId).join("; ")}</div>}</td>
              <td data-label="Finalità">{k.purpose ?? "—"}</td>
              <td data-label="Stato">{k.revokedAt === null ? "attiva" : `revocata il ${when(k.revokedAt)}`}</td>
              <td>
                {k.revokedAt === null && k.role !== "admin" && (
                  <form method="post" action={`/admin/credenziali/${k.id}/revoca`}>
                    <input type="hidden" name="csrf" value={user.csrf} />
                    <button type="submit" class="btn btn-outline-danger btn-sm">Revoca</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Nuova credenziale</h2>
      <form method="post" action="/admin/credenziali" novalidate>
        <input type="hidden" name="csrf" value={user.csrf} />
        <Field id="nome" label="Nome del sistema" hint="Per esempio: registro della Procura di Torino." error={errorOf("nome")}>
          <input type="text" {...described("nome", { hint: true, error: errorOf("nome") })} name="nome" value={typed.name ?? ""} />
        </Field>
        <fieldset class="mb-4">
          <legend class="h6">Per chi</legend>
          {ISSUED_ROLES.map((r) => (
            <div class="form-check">
              <input class="form-check-input" type="radio" id={`ruolo-${r}`} name="ruolo" value={r} checked={(typed.role ?? "staff") === r} />
              <label class="form-check-label" for={`ruolo-${r}`}>{ROLE_LABELS[r]}</label>
            </div>
          ))}
        </fieldset>
        <OfficeChecklist name="uffici" legend="Uffici (per il sistema di un ufficio)" hint="La credenziale consulta e registra per i procedimenti di questi uffici e di quelli sottostanti."
          offices={dir} ticked={typed.offices ?? []} error={errorOf("uffici-elenco")} />
        <Field id="regione" label="Regione (per una credenziale regionale)" error={errorOf("regione")}>
          <select {...described("regione", { error: errorOf("regione"), base: "form-select" })} name="regione">
            <option value="">—</option>
            {regions.map((r) => <option value={r} selected={typed.region === r}>{r}</option>)}
          </select>
        </Field>
        <Field id="finalita" label="Finalità delle consultazioni" hint="Perché il sistema consulta i dati, per esempio: gestione delle scadenze dei procedimenti dell'ufficio." error={errorOf("finalita")}>
          <input type="text" {...described("finalita", { hint: true, error: errorOf("finalita") })} name="finalita" value={typed.purpose ?? ""} />
        </Field>
        <button type="submit" class="btn btn-primary">Rilascia la credenziale</button>
      </form>
    </Layout>,
    errors.length > 0 ? 422 : 200,
  );
}

adminCredentials.get("/admin/credenziali", (c) => page(c));

adminCredentials.post("/admin/credenziali", async (c) => {
  const user = c.get("user");
  const form = await readForm(c.req.raw, { multi: ["uffici"] });
  checkCsrf(user.csrf, form.csrf);
  const role = ISSUED_ROLES.find((r) => r === form.ruolo) ?? "staff";
  const input: CredentialInput = {
    name: String(form.nome ?? "").trim(), role, offices: String(form.uffici ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    region: String(form.regione ?? "") || null, purpose: String(form.finalita ?? "").trim(),
  };
  const db = database(c.env.DB);
  const errors = await credentialProblems(db, input);
  if (errors.length > 0) return page(c, { typed: { ...input, offices: [...input.offices] }, errors });
  const { token } = await issueCredential(db, user.principal, input, c.get("requestId"), Date.now());
  return page(c, { fresh: { name: input.name, token } });
});

adminCredentials.post("/admin/credenziali/:id/revoca", async (c) => {
  const user = c.get("user");
  checkCsrf(user.csrf, (await readForm(c.req.raw)).csrf);
  const db = database(c.env.DB);
  const k = await db.select().from(apiCredentials).where(eq(apiCredentials.id, c.req.param("id"))).get();
  if (k === undefined || k.role === "admin") throw new ApiError("not_found", "Credenziale non trovata");
  await revokeCredential(db, user.principal, k.id, c.get("requestId"), Date.now());
  return page(c, { revoked: k.name });
});
