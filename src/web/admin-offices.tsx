/**
 * The office directory, edited by administrators: create an office, change
 * it and its place in the escalation chain. A chain that would come back to
 * the office itself is refused (escalations would climb forever). Every
 * change is audited with the values before and after.
 */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { AppEnv, Bindings } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { offices } from "../db/schema.js";
import { dbsFor, isDistrictLayout } from "../db/districts.js";
import { CALENDAR_IDS, isCalendarId } from "../engine/holidays.js";
import { ApiError } from "../http/problem.js";
import { readForm } from "../http/body.js";
import { isEmailAddress } from "../lib/email.js";
import { Layout } from "./layout.js";
import { Field, described } from "./ui.js";
import { checkCsrf } from "./session.js";

export const adminOffices = new Hono<AppEnv>();

type Office = typeof offices.$inferSelect;
type Fields = { id: string; tipo: string; nome: string; distretto: string; calendario: string; indirizzi: string; riserva: string; superiore: string; regione: string };

const fieldsOf = (o?: Office): Fields => ({
  id: o?.id ?? "", tipo: o?.kind ?? "", nome: o?.name ?? "", distretto: o?.jurisdiction ?? "", calendario: o?.calendar ?? "IT",
  indirizzi: o?.emails.join(", ") ?? "", riserva: o?.fallbackEmail ?? "", superiore: o?.escalatesTo ?? "", regione: o?.region ?? "",
});

/** The names up the chain from an office, stopping at a repeat. */
function chainOf(byId: ReadonlyMap<string, Office>, id: string): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let o = byId.get(id)?.escalatesTo; o && !seen.has(o); o = byId.get(o)?.escalatesTo) {
    seen.add(o);
    names.push(byId.get(o)?.name ?? o);
  }
  return names.length === 0 ? "—" : names.join(" → ");
}

type Problem = { field: keyof Fields; error: string };

function OfficeForm(props: { action: string; f: Fields; csrf: string; editing: boolean; problem?: Problem }) {
  const { f } = props;
  // A refusal is said next to the field it is about.
  const field = (name: keyof Fields, label: string, extra: Record<string, unknown> = {}) => {
    const error = props.problem?.field === name ? props.problem.error : undefined;
    return (
      <Field id={name} label={label} error={error}>
        <input type="text" {...described(name, { error })} name={name} value={f[name]} {...extra} />
      </Field>
    );
  };
  return (
    <form method="post" action={props.action}>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.editing ? <input type="hidden" name="id" value={f.id} /> : field("id", "Identificativo (lettere minuscole, cifre, trattini)", { required: true })}
      {field("nome", "Nome", { required: true })}
      {field("tipo", "Tipo (es. procura, gip, questura)", { required: true })}
      {field("distretto", "Distretto (sigla, es. TO; IT per gli uffici nazionali)", { required: true })}
      {field("regione", "Regione (per le relazioni)")}
      {field("calendario", `Calendario (${CALENDAR_IDS.join(", ")})`, { required: true })}
      {field("indirizzi", "Indirizzi di posta (separati da virgola)", { required: true })}
      {field("riserva", "Indirizzo di riserva", { required: true })}
      {field("superiore", "Ufficio superiore nella catena di segnalazione (identificativo; vuoto se nessuno)")}
      <button type="submit" class="btn btn-primary">{props.editing ? "Salva" : "Crea l'ufficio"}</button>
    </form>
  );
}

async function directoryPage(c: Context<AppEnv>, typed?: Fields, problem?: Problem) {
  const all = await database(c.env.DB).select().from(offices).orderBy(offices.region, offices.name).all();
  const byId = new Map(all.map((o) => [o.id, o]));
  const user = c.get("user");
  return c.html(
    <Layout title="Rubrica degli uffici" user={user}>
      <table class="table table-stack">
        <thead><tr><th scope="col">Ufficio</th><th scope="col">Tipo</th><th scope="col">Distretto / regione</th><th scope="col">Indirizzi</th><th scope="col">Catena di segnalazione</th></tr></thead>
        <tbody>
          {all.map((o) => (
            <tr><td><a href={`/admin/uffici/${o.id}`}>{o.name}</a><br /><code class="muted">{o.id}</code></td><td>{o.kind}</td><td>{o.jurisdiction} / {o.region || "—"}</td>
              <td>{o.emails.join(", ")}<br /><span class="muted">riserva: {o.fallbackEmail}</span></td><td>{chainOf(byId, o.id)}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>Nuovo ufficio</h2>
      <OfficeForm action="/admin/uffici" f={typed ?? fieldsOf()} csrf={user.csrf} editing={false} problem={problem} />
    </Layout>,
    problem ? 422 : 200,
  );
}

async function editPage(c: Context<AppEnv>, f: Fields, problem?: Problem) {
  return c.html(
    <Layout title={`Ufficio ${f.id}`} user={c.get("user")}>
      <OfficeForm action={`/admin/uffici/${f.id}`} f={f} csrf={c.get("user").csrf} editing={true} problem={problem} />
      <p><a href="/admin/uffici">Torna alla rubrica</a></p>
    </Layout>,
    problem ? 422 : 200,
  );
}


/** Why these values cannot be saved, and which field it is about; or null. */
function problemWith(f: Fields, all: readonly Office[], creating: boolean): Problem | null {
  const at = (field: keyof Fields, error: string): Problem => ({ field, error });
  if (creating && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(f.id)) return at("id", "Identificativo non valido: lettere minuscole, cifre e trattini.");
  if (creating && all.some((o) => o.id === f.id)) return at("id", `Esiste già un ufficio ${f.id}.`);
  if (f.nome.trim().length < 3) return at("nome", "Il nome è troppo breve.");
  if (!/^[a-z][a-z-]{1,40}$/.test(f.tipo)) return at("tipo", "Tipo non valido: lettere minuscole e trattini.");
  if (!/^[A-Z]{2}$/.test(f.distretto)) return at("distretto", "Distretto non valido: due lettere maiuscole, es. TO.");
  if (!isCalendarId(f.calendario)) return at("calendario", `Calendario sconosciuto: uno tra ${CALENDAR_IDS.join(", ")}.`);
  const emails = f.indirizzi.split(",").map((e) => e.trim()).filter(Boolean);
  if (emails.length === 0 || emails.some((e) => !isEmailAddress(e))) return at("indirizzi", "Indirizzi di posta non validi.");
  if (!isEmailAddress(f.riserva.trim())) return at("riserva", "Indirizzo di riserva non valido.");
  if (f.superiore !== "") {
    const byId = new Map(all.map((o) => [o.id, o]));
    if (!byId.has(f.superiore)) return at("superiore", `L'ufficio superiore ${f.superiore.slice(0, 64)} non è in rubrica.`);
    // Climbing from the new superior must never come back to this office.
    for (let o: string | null | undefined = f.superiore, n = 0; o; o = byId.get(o)?.escalatesTo, n++) {
      if (o === f.id || n > all.length) return at("superiore", `La catena di segnalazione tornerebbe a ${f.id}: scelga un altro ufficio superiore.`);
    }
  }
  return null;
}

/**
 * A case lives in its owner office's district database: an office that owns cases there keeps its
 * district, or they would be left outside it (unreachable for the new district's offices).
 */
async function districtChangeProblem(env: Bindings, before: Office, wanted: string): Promise<Problem | null> {
  if (wanted === before.jurisdiction || !isDistrictLayout(env)) return null;
  const home = dbsFor(env, [before.jurisdiction])[0];
  if (home === undefined) return null;
  const owned = await home.$client.prepare("SELECT count(*) AS n FROM cases WHERE owner_office_id = ?1").bind(before.id).first<{ n: number }>();
  if ((owned?.n ?? 0) === 0) return null;
  return { field: "distretto", error: `L'ufficio è titolare di procedimenti conservati nel distretto ${before.jurisdiction}: il distretto non può cambiare finché li ha.` };
}

const typedOf = (form: Record<string, unknown>): Fields => {
  const v = (k: keyof Fields) => String(form[k] ?? "").trim();
  return { id: v("id"), tipo: v("tipo"), nome: v("nome"), distretto: v("distretto"), calendario: v("calendario"), indirizzi: v("indirizzi"), riserva: v("riserva"), superiore: v("superiore"), regione: v("regione") };
};

const rowOf = (f: Fields) => ({
  kind: f.tipo, name: f.nome, jurisdiction: f.distretto, calendar: f.calendario, region: f.regione,
  emails: f.indirizzi.split(",").map((e) => e.trim()).filter(Boolean), fallbackEmail: f.riserva, escalatesTo: f.superiore === "" ? null : f.superiore,
});

adminOffices.get("/admin/uffici", (c) => directoryPage(c));

adminOffices.post("/admin/uffici", async (c) => {
  const form = await readForm(c.req.raw);
  checkCsrf(c.get("user").csrf, form.csrf);
  const f = typedOf(form);
  const db = database(c.env.DB);
  const why = problemWith(f, await db.select().from(offices).all(), true);
  if (why !== null) return directoryPage(c, f, why);
  await db.insert(offices).values({ id: f.id, ...rowOf(f) }).run();
  await audit(db, { actor: c.get("user").principal.id, action: "office.created", caseId: null, requestId: c.get("requestId"), detail: { office: f.id, after: rowOf(f) } }, Date.now());
  return c.redirect("/admin/uffici", 303);
});

adminOffices.get("/admin/uffici/:id", async (c) => {
  const o = await database(c.env.DB).select().from(offices).where(eq(offices.id, c.req.param("id"))).get();
  if (o === undefined) throw new ApiError("not_found", "Ufficio non trovato");
  return editPage(c, fieldsOf(o));
});

adminOffices.post("/admin/uffici/:id", async (c) => {
  const form = await readForm(c.req.raw);
  checkCsrf(c.get("user").csrf, form.csrf);
  const db = database(c.env.DB);
  const all = await db.select().from(offices).all();
  const before = all.find((o) => o.id === c.req.param("id"));
  if (before === undefined) throw new ApiError("not_found", "Ufficio non trovato");
  const f = { ...typedOf(form), id: before.id };
  const why = problemWith(f, all, false) ?? (await districtChangeProblem(c.env, before, f.distretto));
  if (why !== null) return editPage(c, f, why);
  await db.update(offices).set(rowOf(f)).where(eq(offices.id, before.id)).run();
  const { id: _, refPattern: __, ...was } = before;
  await audit(db, { actor: c.get("user").principal.id, action: "office.updated", caseId: null, requestId: c.get("requestId"), detail: { office: before.id, before: was, after: rowOf(f) } }, Date.now());
  return c.redirect("/admin/uffici", 303);
});
