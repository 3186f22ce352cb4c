/**
 * Outbound webhooks in the admin area, as Stripe and Svix present them: the
 * subscriptions with their state (a failing endpoint stands out), and per
 * subscription its settings, its latest deliveries with every attempt, the
 * dead-letter queue with "Riprova", "Invia un evento di prova", a new secret
 * (shown once) and disabling. The same domain functions as the API; every
 * change audited there.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../env.js";
import { centralDb } from "../db/districts.js";
import { offices } from "../db/schema.js";
import {
  SubscriptionBody, createSubscription, getSubscription, listSubscriptions, rotateSecret, subscriptionView, updateSubscription,
} from "../domain/subscriptions.js";
import { readForm } from "../http/body.js";
import { ApiError } from "../http/problem.js";
import { outboundContext } from "../outbound/context.js";
import { attemptsAcross, deliveriesAcross, deliveryCountsAcross, deliveryDb, testDb, withHealth } from "../outbound/districts.js";
import { KIND_LABELS, OUTBOUND_KINDS } from "../outbound/events.js";
import { type ManualResult, replay, sendTest } from "../outbound/manual.js";
import { romeDateTime as when } from "./format.js";
import { Layout } from "./layout.js";
import { Alert, Field, SecretOnce, described } from "./ui.js";
import { checkCsrf } from "./session.js";
import { subscriptionActor } from "../routes/subscriptions.js";

export const adminWebhooks = new Hono<AppEnv>();

const STATE = { active: ["attivo", "bg-success"], failing: ["endpoint in errore", "bg-danger"], disabled: ["disattivato", "bg-secondary"] } as const;
const DELIVERY = { pending: "in coda", sending: "in invio", published: "affidato a QStash", delivered: "consegnato", dead: "non consegnato" } as const;

const who = (c: Context<AppEnv>) => subscriptionActor(c, c.get("user").principal);

type Typed = Record<string, string> & { error?: string; field?: string };

async function listPage(c: Context<AppEnv>, fresh?: string, typed: Typed = {}) {
  const user = c.get("user");
  const subs = await withHealth(c.env, await listSubscriptions(centralDb(c.env)));
  const dir = await centralDb(c.env).select({ id: offices.id, name: offices.name }).from(offices).orderBy(offices.name).all();
  const officeName = (id: string) => dir.find((o) => o.id === id)?.name ?? id;
  // Waiting and given-up deliveries per subscription: two index walks per district, whatever the history.
  const counts = await deliveryCountsAcross(c.env);
  const count = (s: string, status: string) => counts.find((r) => r.s === s && r.status === status)?.n ?? 0;
  const errorAt = (f: string) => (typed.field === f ? typed.error : undefined);
  if (fresh !== undefined) c.header("Cache-Control", "no-store");
  return c.html(
    <Layout title="Webhook in uscita" user={user} crumbs={[["/admin", "Amministrazione"]]}>
      {fresh && <SecretOnce secret={fresh} hint="Mostrato una sola volta: lo copi ora nel sistema che riceve gli eventi, che con esso verifica le firme." />}
      <table class="table table-stack">
        <thead><tr><th scope="col">Ufficio</th><th scope="col">Indirizzo di destinazione</th><th scope="col">Eventi</th><th scope="col">Stato</th><th scope="col">In coda</th><th scope="col">Non consegnati</th></tr></thead>
        <tbody>
          {subs.map((s) => {
            const v = subscriptionView(s);
            return (
              <tr>
                <td>{officeName(s.officeId)}</td>
                <td><a href={`/admin/webhook/${s.id}`}>{s.url}</a>{s.description && <div class="muted">{s.description}</div>}</td>
                <td>{s.kinds.map((k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k).join("; ")}</td>
                <td><span class={`badge ${STATE[v.status][1]}`}>{STATE[v.status][0]}</span>{v.failingSince && <div>dalle {when(s.failingSince)}</div>}</td>
                <td>{count(s.id, "pending")}</td>
                <td>{count(s.id, "dead")}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {subs.length === 0 && <p>Nessun abbonamento: nessun sistema riceve ancora gli eventi di Termini.</p>}
      <h2>Nuovo abbonamento</h2>
      <form method="post" action="/admin/webhook">
        <input type="hidden" name="csrf" value={user.csrf} />
        <Field id="office" label="Ufficio o centro titolare" hint="L'ufficio i cui procedimenti generano gli eventi inviati." error={errorAt("office")}>
          <select {...described("office", { hint: true, error: errorAt("office"), base: "form-select" })} name="office">
            <option value="" selected={!typed.office}>Scelga l'ufficio</option>
            {dir.map((o) => <option value={o.id} selected={o.id === typed.office}>{o.name}</option>)}
          </select>
        </Field>
        <Field id="url" label="Indirizzo HTTPS di destinazione (endpoint)" error={errorAt("url")}>
          <input type="url" {...described("url", { error: errorAt("url") })} name="url" required value={typed.url ?? ""} />
        </Field>
        <fieldset>
          <legend class="h6">Eventi da ricevere</legend>
          {OUTBOUND_KINDS.map((k) => (
            <div class="form-check">
              <input class="form-check-input" type="checkbox" id={`kind-${k}`} name="kinds" value={k} checked={(typed.kinds ?? OUTBOUND_KINDS.join(",")).split(",").includes(k)} />
              <label class="form-check-label" for={`kind-${k}`}>{KIND_LABELS[k]} (<code>{k}</code>)</label>
            </div>
          ))}
          {errorAt("kinds") && <div class="invalid-feedback d-block" role="alert">{errorAt("kinds")}</div>}
        </fieldset>
        <Field id="description" label="Descrizione (facoltativa)" error={errorAt("description")}>
          <input type="text" {...described("description", { error: errorAt("description") })} name="description" value={typed.description ?? ""} />
        </Field>
        <Field id="parallelism" label="Consegne contemporanee al massimo" hint="Da 1 a 50: un server piccolo ne regge poche." error={errorAt("parallelism")}>
          <input type="number" {...described("parallelism", { hint: true, error: errorAt("parallelism") })} name="parallelism" min="1" max="50" value={typed.parallelism ?? "2"} />
        </Field>
        <button type="submit" class="btn btn-primary">Crea l'abbonamento</button>
      </form>
    </Layout>,
    typed.error ? 422 : 200,
  );
}

adminWebhooks.get("/admin/webhook", (c) => listPage(c));

adminWebhooks.post("/admin/webhook", async (c) => {
  const form = await readForm(c.req.raw, { multi: ["kinds"] });
  checkCsrf(c.get("user").csrf, form.csrf);
  const kinds = form.kinds ?? "";
  const typed: Typed = { office: form.office ?? "", url: form.url ?? "", kinds, description: form.description ?? "", parallelism: form.parallelism ?? "" };
  const parsed = SubscriptionBody.safeParse({
    office: typed.office, url: typed.url, kinds: kinds === "" ? [] : kinds.split(","), description: typed.description, parallelism: Number(typed.parallelism || 2),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return listPage(c, undefined, { ...typed, field: String(issue.path[0] ?? "url"), error: issue.path[0] === "kinds" ? "Scelga almeno un tipo di evento." : issue.message });
  }
  try {
    const { secret } = await createSubscription(centralDb(c.env), who(c), parsed.data);
    return listPage(c, secret);
  } catch (e) {
    if (e instanceof ApiError && e.extra?.parameter !== undefined) return listPage(c, undefined, { ...typed, field: String(e.extra.parameter), error: e.detail });
    throw e;
  }
});

async function detailPage(c: Context<AppEnv>, said?: { fresh?: string; result?: ManualResult; what?: string }) {
  const user = c.get("user");
  const s = (await withHealth(c.env, [await getSubscription(centralDb(c.env), c.req.param("id")!)]))[0]!;
  const v = subscriptionView(s);
  const [recent, dead] = await Promise.all([deliveriesAcross(c.env, s.id, 20), deliveriesAcross(c.env, s.id, 50, "dead")]);
  const attempts = await attemptsAcross([...recent, ...dead]);
  const form = (action: string, label: string, tone = "btn-outline-primary") => (
    <form method="post" action={`/admin/webhook/${s.id}/${action}`} class="d-inline">
      <input type="hidden" name="csrf" value={user.csrf} />
      <button type="submit" class={`btn ${tone} btn-sm`}>{label}</button>
    </form>
  );
  if (said?.fresh !== undefined) c.header("Cache-Control", "no-store");
  const rows = (list: typeof recent, withReplay: boolean) => list.map(({ d, kind }) => (
    <tr>
      <td><code>{kind}</code><div class="muted"><code>{d.eventId}</code></div></td>
      <td>{when(d.createdAt)}</td>
      <td>{DELIVERY[d.status]}{d.status === "pending" && d.attempts > 0 && <div>nuovo tentativo alle {when(d.dueAt)}</div>}</td>
      <td>{attempts.filter((a) => a.deliveryId === d.id).map((a) => <div>{when(a.at)}: {a.status === null ? "nessuna risposta" : `HTTP ${a.status}`}{a.error && a.status === null ? ` (${a.error})` : ""}</div>)}</td>
      {withReplay && (
        <td>
          <form method="post" action={`/admin/webhook/${s.id}/consegne/${encodeURIComponent(d.id)}/riprova`}>
            <input type="hidden" name="csrf" value={user.csrf} />
            <button type="submit" class="btn btn-primary btn-sm">Riprova</button>
          </form>
        </td>
      )}
    </tr>
  ));
  return c.html(
    <Layout title={`Webhook di ${s.officeId}`} user={user}>
      {said?.fresh && <SecretOnce secret={said.fresh} hint="Mostrato una sola volta. Il segreto precedente resta valido per 24 ore: gli eventi sono firmati con entrambi." />}
      {said?.result && (
        <Alert tone={said.result.outcome === "delivered" || said.result.outcome === "published" ? "success" : "warning"}>
          {said.what}: {said.result.outcome === "delivered" ? "consegnato" : said.result.outcome === "published" ? "affidato a QStash per la consegna" : "non consegnato, Termini riproverà"}
          {said.result.status !== null && ` (HTTP ${said.result.status})`}{said.result.error && said.result.status === null && ` (${said.result.error})`}.
        </Alert>
      )}
      <p><span class={`badge ${STATE[v.status][1]}`}>{STATE[v.status][0]}</span>{v.failingSince && <> dalle {when(s.failingSince)}{v.flaggedAt && ", segnalato agli amministratori"}</>}</p>
      <dl>
        <dt>Endpoint</dt><dd><code>{s.url}</code></dd>
        <dt>Eventi</dt><dd>{s.kinds.map((k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k).join("; ")}</dd>
        <dt>Controllo del flusso</dt><dd>{s.parallelism} consegne contemporanee, {s.ratePerSecond} al secondo</dd>
      </dl>
      <p>{form("prova", "Invia un evento di prova", "btn-primary")} {form("ruota", "Nuovo segreto")} {form("stato", s.disabledAt === null ? "Disattiva" : "Riattiva", "btn-outline-danger")}</p>
      <h2>Eventi non consegnati</h2>
      {dead.length === 0 ? <p>Nessuno.</p> : (
        <table class="table table-stack">
          <thead><tr><th scope="col">Evento</th><th scope="col">Creato</th><th scope="col">Stato</th><th scope="col">Tentativi</th><th scope="col">Azione</th></tr></thead>
          <tbody>{rows(dead, true)}</tbody>
        </table>
      )}
      <h2>Ultime consegne</h2>
      <table class="table table-stack">
        <thead><tr><th scope="col">Evento</th><th scope="col">Creato</th><th scope="col">Stato</th><th scope="col">Tentativi</th></tr></thead>
        <tbody>{rows(recent, false)}</tbody>
      </table>
    </Layout>,
  );
}

adminWebhooks.get("/admin/webhook/:id", (c) => detailPage(c));

const posted = async (c: Context<AppEnv>) => checkCsrf(c.get("user").csrf, (await readForm(c.req.raw)).csrf);

adminWebhooks.post("/admin/webhook/:id/prova", async (c) => {
  await posted(c);
  const s = await getSubscription(centralDb(c.env), c.req.param("id"));
  const ctx = outboundContext(c.env, Date.now(), await testDb(c.env, s));
  return detailPage(c, { result: await sendTest(ctx, c.get("user").principal, s, c.get("requestId")), what: "Evento di prova" });
});

adminWebhooks.post("/admin/webhook/:id/ruota", async (c) => {
  await posted(c);
  const { secret } = await rotateSecret(centralDb(c.env), who(c), c.req.param("id"));
  return detailPage(c, { fresh: secret });
});

adminWebhooks.post("/admin/webhook/:id/stato", async (c) => {
  await posted(c);
  const db = centralDb(c.env);
  const s = await getSubscription(db, c.req.param("id"));
  await updateSubscription(db, who(c), s.id, { enabled: s.disabledAt !== null });
  return c.redirect(`/admin/webhook/${s.id}`, 303);
});

adminWebhooks.post("/admin/webhook/:id/consegne/:delivery/riprova", async (c) => {
  await posted(c);
  const s = await getSubscription(centralDb(c.env), c.req.param("id"));
  const ctx = outboundContext(c.env, Date.now(), await deliveryDb(c.env, c.req.param("delivery")));
  return detailPage(c, { result: await replay(ctx, c.get("user").principal, s, c.req.param("delivery"), c.get("requestId")), what: "Reinvio" });
});
