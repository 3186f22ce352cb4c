/**
 * The office directory, edited by administrators: create an office, change
 * it and its place in the escalation chain. A chain that would come back to
 * the office itself is refused (escalations would climb forever). Every
 * change is audited with the values before and after.
 */
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, Bindings } from "../env.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { offices } from "../db/schema.js";
import { dbsFor, isDistrictLayout } from "../db/districts.js";
import { isCalendarId } from "../engine/holidays.js";
import { LOCAL_CALENDARS } from "../engine/calendar-data.js";
import { CATALOGUE } from "../timelines/catalog.js";
import { DISTRICT_NAMES, OFFICE_KIND_NAMES, REGIONS } from "../lib/places.js";
import { ApiError } from "../http/problem.js";
import { readForm } from "../http/body.js";
import { isEmailAddress } from "../lib/email.js";
import { Layout } from "./layout.js";
import { Alert, ErrorSummary, Field, described } from "./ui.js";
import { checkCsrf } from "./session.js";
import { createRouter } from "../http/router.js";

export const adminOffices = createRouter();

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

/** What the selects offer: the kinds the catalogue and the directory use, the districts, calendars and offices. */
function choices(all: readonly Office[]) {
  const kinds = [...new Set([...CATALOGUE.flatMap((t) => Object.values(t.roles)), ...Object.keys(OFFICE_KIND_NAMES), ...all.map((o) => o.kind)])]
    .map((k) => [k, OFFICE_KIND_NAMES[k] ?? k] as const).sort((a, b) => a[1].localeCompare(b[1], "it"));
  const districts = Object.entries(DISTRICT_NAMES).sort((a, b) => (a[0] === "IT" ? -1 : b[0] === "IT" ? 1 : a[1].localeCompare(b[1], "it")));
  const calendars = [["IT", "Nazionale (nessuna chiusura locale)"] as const, ...LOCAL_CALENDARS.map((c) => [c.id, `${c.city}: festa del patrono`] as const)];
  const superiors = [...all].sort((a, b) => a.name.localeCompare(b.name, "it"));
  return { kinds, districts, calendars, superiors };
}

function Select(props: { name: keyof Fields; label: string; value: string; options: ReadonlyArray<readonly [string, string]>; empty?: string; problems: Problem[]; hint?: string }) {
  const error = props.problems.find((p) => p.field === props.name)?.error;
  return (
    <Field id={props.name} label={props.label} error={error} hint={props.hint}>
      <select {...described(props.name, { error, base: "form-select", hint: props.hint !== undefined })} name={props.name}>
        {props.empty !== undefined && <option value="" selected={props.value === ""}>{props.empty}</option>}
        {props.options.map(([v, text]) => <option value={v} selected={v === props.value}>{text}</option>)}
      </select>
    </Field>
  );
}

function OfficeForm(props: { action: string; f: Fields; csrf: string; editing: boolean; problems: Problem[]; all: readonly Office[] }) {
  const { f, problems } = props;
  const c = choices(props.all.filter((o) => o.id !== f.id));
  const field = (name: keyof Fields, label: string, extra: Record<string, unknown> = {}, hint?: string) => {
    const error = problems.find((p) => p.field === name)?.error;
    return (
      <Field id={name} label={label} error={error} hint={hint}>
        <input type="text" {...described(name, { error, hint: hint !== undefined })} name={name} value={f[name]} {...extra} />
      </Field>
    );
  };
  return (
    <form method="post" action={props.action} novalidate>
      <input type="hidden" name="csrf" value={props.csrf} />
      {props.editing ? <input type="hidden" name="id" value={f.id} /> : field("id", "Identificativo", { required: true }, "Lettere minuscole, cifre e trattini, es. procura-cuneo. Non si può cambiare in seguito.")}
      {field("nome", "Nome", { required: true })}
      <Select name="tipo" label="Tipo di ufficio" value={f.tipo} options={c.kinds} empty="Scelga il tipo" problems={problems} />
      <Select name="distretto" label="Distretto" value={f.distretto} options={c.districts.map(([k, v]) => [k, k === "IT" ? v : `${v} (${k})`] as const)} empty="Scelga il distretto" problems={problems} />
      <Select name="regione" label="Regione (per le relazioni)" value={f.regione} options={REGIONS.map((r) => [r, r] as const)} empty="Nessuna" problems={problems} />
      <Select name="calendario" label="Calendario delle chiusure" value={f.calendario} options={c.calendars} problems={problems} hint="Le chiusure locali spostano la scadenza dei termini a giorni come le feste nazionali." />
      {field("indirizzi", "Indirizzi di posta", { required: true, type: "text" }, "Uno o più indirizzi, separati da virgola.")}
      {field("riserva", "Indirizzo di riserva", { required: true }, "Riceve i messaggi quando gli indirizzi dell'ufficio non li accettano.")}
      <Select name="superiore" label="Ufficio superiore nella catena di segnalazione" value={f.superiore}
        options={c.superiors.map((o) => [o.id, `${o.name} (${o.jurisdiction})`] as const)} empty="Nessuno" problems={problems} />
      <button type="submit" class="btn btn-primary">{props.editing ? "Salva le modifiche" : "Crea l'ufficio"}</button>
    </form>
  );
}

async function directoryPage(c: Context<AppEnv>) {
  const all = await database(c.env.DB).select().from(offices).orderBy(offices.region, offices.name).all();
  const byId = new Map(all.map((o) => [o.id, o]));
  const done = [c.req.query("creato"), c.req.query("salvato")].map((id) => (id === undefined ? undefined : byId.get(id)));
  return c.html(
    <Layout title="Rubrica degli uffici" user={c.get("user")} crumbs={[["/admin", "Amministrazione"]]}>
      {done[0] !== undefined && <Alert tone="success">Ufficio «{done[0].name}» creato.</Alert>}
      {done[1] !== undefined && <Alert tone="success">Modifiche a «{done[1].name}» salvate.</Alert>}
      <p><a class="btn btn-primary" href="/admin/uffici/nuovo">Nuovo ufficio</a></p>
      <table class="table table-stack">
        <thead><tr><th scope="col">Ufficio</th><th scope="col">Tipo</th><th scope="col">Distretto / regione</th><th scope="col">Indirizzi</th><th scope="col">Catena di segnalazione</th></tr></thead>
        <tbody>
          {all.map((o) => (
            <tr><td><a href={`/admin/uffici/${o.id}`}>{o.name}</a><br /><code class="muted">{o.id}</code></td><td>{OFFICE_KIND_NAMES[o.kind] ?? o.kind}</td>
              <td>{DISTRICT_NAMES[o.jurisdiction] ?? o.jurisdiction} / {o.region || "—"}</td>
              <td>{o.emails.join(", ")}<br /><span class="muted">riserva: {o.fallbackEmail}</span></td><td>{chainOf(byId, o.id)}</td></tr>
          ))}
        </tbody>
      </table>
    </Layout>,
  );
}

async function formPage(c: Context<AppEnv>, f: Fields, editing: boolean, problems: Problem[] = []) {
  const all = await database(c.env.DB).select().from(offices).all();
  return c.html(
    <Layout title={editing ? `Ufficio ${f.nome || f.id}` : "Nuovo ufficio"} user={c.get("user")} crumbs={[["/admin", "Amministrazione"], ["/admin/uffici", "Rubrica degli uffici"]]}>
      <ErrorSummary errors={problems.map((p) => ({ field: p.field, message: p.error }))} />
      <OfficeForm action={editing ? `/admin/uffici/${f.id}` : "/admin/uffici"} f={f} csrf={c.get("user").csrf} editing={editing} problems={problems} all={all} />
    </Layout>,
    problems.length > 0 ? 422 : 200,
  );
}

/** Every reason these values cannot be saved, each with the field it is about. */
function problemsWith(f: Fields, all: readonly Office[], creating: boolean): Problem[] {
  const out: Problem[] = [];
  const at = (field: keyof Fields, error: string) => out.push({ field, error });
  if (creating && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(f.id)) at("id", "Identificativo non valido: lettere minuscole, cifre e trattini.");
  else if (creating && all.some((o) => o.id === f.id)) at("id", `Esiste già un ufficio ${f.id}.`);
  if (f.nome.trim().length < 3) at("nome", "Il nome è troppo breve.");
  if (!/^[a-z][a-z-]{1,40}$/.test(f.tipo)) at("tipo", "Scelga il tipo di ufficio.");
  if (!Object.hasOwn(DISTRICT_NAMES, f.distretto)) at("distretto", "Scelga il distretto.");
  if (f.regione !== "" && !REGIONS.includes(f.regione)) at("regione", "Scelga una regione dall'elenco.");
  if (!isCalendarId(f.calendario)) at("calendario", "Scelga un calendario dall'elenco.");
  const emails = f.indirizzi.split(",").map((e) => e.trim()).filter(Boolean);
  if (emails.length === 0 || emails.some((e) => !isEmailAddress(e))) at("indirizzi", "Indirizzi di posta non validi: uno o più indirizzi separati da virgola.");
  if (!isEmailAddress(f.riserva.trim())) at("riserva", "Indirizzo di riserva non valido.");
  if (f.superiore !== "") {
    const byId = new Map(all.map((o) => [o.id, o]));
    if (!byId.has(f.superiore)) at("superiore", "L'ufficio superiore scelto non è in rubrica.");
    // Climbing from the new superior must never come back to this office.
    else {
      for (let o: string | null | undefined = f.superiore, n = 0; o; o = byId.get(o)?.escalatesTo, n++) {
        if (o === f.id || n > all.length) {
          at("superiore", `La catena di segnalazione tornerebbe a ${f.nome || f.id}: scelga un altro ufficio superiore.`);
          break;
        }
      }
    }
  }
  return out;
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
adminOffices.get("/admin/uffici/nuovo", (c) => formPage(c, fieldsOf(), false));

adminOffices.post("/admin/uffici", async (c) => {
  const form = await readForm(c.req.raw);
  checkCsrf(c.get("user").csrf, form.csrf);
  const f = typedOf(form);
  const db = database(c.env.DB);
  const problems = problemsWith(f, await db.select().from(offices).all(), true);
  if (problems.length > 0) return formPage(c, f, false, problems);
  await db.insert(offices).values({ id: f.id, ...rowOf(f) }).run();
  await audit(db, { actor: c.get("user").principal.id, action: "office.created", caseId: null, requestId: c.get("requestId"), detail: { office: f.id, after: rowOf(f) } }, Date.now());
  return c.redirect(`/admin/uffici?creato=${encodeURIComponent(f.id)}`, 303);
});

adminOffices.get("/admin/uffici/:id", async (c) => {
  const o = await database(c.env.DB).select().from(offices).where(eq(offices.id, c.req.param("id"))).get();
  if (o === undefined) throw new ApiError("not_found", "Ufficio non trovato");
  return formPage(c, fieldsOf(o), true);
});

adminOffices.post("/admin/uffici/:id", async (c) => {
  const form = await readForm(c.req.raw);
  checkCsrf(c.get("user").csrf, form.csrf);
  const db = database(c.env.DB);
  const all = await db.select().from(offices).all();
  const before = all.find((o) => o.id === c.req.param("id"));
  if (before === undefined) throw new ApiError("not_found", "Ufficio non trovato");
  const f = { ...typedOf(form), id: before.id };
  const problems = problemsWith(f, all, false);
  const moved = await districtChangeProblem(c.env, before, f.distretto);
  if (moved !== null && !problems.some((p) => p.field === "distretto")) problems.push(moved);
  if (problems.length > 0) return formPage(c, f, true, problems);
  await db.update(offices).set(rowOf(f)).where(eq(offices.id, before.id)).run();
  const { id: _, refPattern: __, ...was } = before;
  await audit(db, { actor: c.get("user").principal.id, action: "office.updated", caseId: null, requestId: c.get("requestId"), detail: { office: before.id, before: was, after: rowOf(f) } }, Date.now());
  return c.redirect(`/admin/uffici?salvato=${encodeURIComponent(before.id)}`, 303);
});
