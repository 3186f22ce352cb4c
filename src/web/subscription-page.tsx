/**
 * One subscription's page, as Stripe and Svix show an endpoint: its state
 * and what happens next, its address (changeable, with the same checks as
 * the API), its latest deliveries with every attempt and the start of each
 * answer, "Reinvia" on any delivery, a test event or a sample of any type,
 * a new secret (shown once), pause and resume. The same page serves the
 * administrators (under /admin/webhook) and the subscribing office's staff
 * (under /webhook); the domain decides who may see which subscription, and
 * audits every act.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { config } from "../config.js";
import { caseDbs, centralDb } from "../db/districts.js";
import { getOffice } from "../db/directory.js";
import { type SubscriptionRow, ownSubscription, rotateSecret, subscriptionView, updateSubscription } from "../domain/subscriptions/subscriptions.js";
import { readForm } from "../http/body.js";
import { ApiError, refusalOf } from "../http/problem.js";
import { spanInItalian } from "../lib/italian.js";
import { outboundContext } from "../outbound/context.js";
import { attemptsAcross, deliveriesAcross, deliveryDb, testDb, withHealth } from "../outbound/districts.js";
import { KIND_LABELS, OUTBOUND_KINDS, type OutboundKind } from "../outbound/events.js";
import { type ManualResult, replay, sendSample, sendTest } from "../outbound/manual.js";
import { subscriptionActor } from "../routes/subscriptions.js";
import { romeDateTime as when } from "./format.js";
import { formatRomeInstant } from "../engine/rome.js";
import { formatDue } from "../notify/compose.js";
import { Layout } from "./layout.js";
import { Alert, Field, SecretOnce, described } from "./ui.js";
import { checkCsrf } from "./session.js";
import { createRouter } from "../http/router.js";

export const STATE = {
  active: ["attivo", "bg-success"], failing: ["endpoint in errore", "bg-danger"], paused: ["sospeso", "bg-secondary"], disabled: ["disattivato per errori", "bg-danger"],
} as const;
const DELIVERY = {
  pending: "in coda", sending: "in invio", published: "in consegna", delivered: "consegnato", dead: "non consegnato", skipped: "non inviato (abbonamento sospeso o disattivato): si può reinviare",
} as const;
export const kindLabel = (k: string) => KIND_LABELS[k as OutboundKind] ?? k;

interface Said { fresh?: string; result?: ManualResult; what?: string; error?: string; typedUrl?: string; sampled?: OutboundKind }

/** "02:07 del 07/12/2026": a moment as a sentence says it after "alle" or "dalle" (as the emails write it). */
const moment = (ms: number) => formatDue(formatRomeInstant(ms));

/** What the state means and what happens next, in one sentence. */
function stateSentence(s: SubscriptionRow, disableAfter: string): string {
  if (s.disabledAt !== null && s.disabledReason === "failing") {
    return `Termini ha smesso di inviare gli eventi alle ${moment(s.disabledAt)}, dopo ${disableAfter} di errori continui. Gli eventi successivi restano nel registro e non vengono inviati, nemmeno dopo la riattivazione: riparato l'endpoint, riattivi l'abbonamento e li recuperi dal registro o li reinvii.`;
  }
  if (s.disabledAt !== null) return `Sospeso dalle ${moment(s.disabledAt)}: gli eventi non vengono inviati, né lo saranno dopo la riattivazione; restano nel registro, da cui recuperarli o reinviarli.`;
  if (s.failingSince !== null) {
    return `L'endpoint rifiuta gli eventi dalle ${moment(s.failingSince)}${s.flaggedAt !== null ? " (segnalato agli amministratori e all'ufficio)" : ""}. Termini riprova; se gli errori continuano per ${disableAfter}, l'abbonamento viene disattivato.`;
  }
  return "Gli eventi vengono inviati all'endpoint appena accadono.";
}

/** What a change just did, said once after the redirect that follows it. */
const DONE: Record<string, string> = {
  sospeso: "Abbonamento sospeso.", riattivato: "Abbonamento riattivato: gli eventi nuovi vengono inviati; quelli del frattempo sono nel registro.",
  indirizzo: "Indirizzo cambiato: i prossimi invii vanno al nuovo indirizzo.",
};

function outcomeSentence(r: ManualResult): string {
  switch (r.outcome) {
    case "delivered": return "consegnato";
    case "published": return "affidato a QStash per la consegna";
    case "dead": return "non consegnato, e non verrà ritentato";
    case "busy": case "not-due": return "in coda, verrà inviato a breve";
    case "already-done": return "già trattato da un'altra richiesta: veda lo stato qui sotto";
    case "retrying": return "non consegnato, Termini riproverà";
  }
}

const capitalised = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** The page and its actions, at `base` (/admin/webhook or /webhook). */
export function subscriptionPages(base: string) {
  const app = createRouter();
  const own = (c: Context<AppEnv>) => ownSubscription(centralDb(c.env), c.get("user").principal, c.req.param("id")!);
  const who = (c: Context<AppEnv>) => subscriptionActor(c, c.get("user").principal);

  async function page(c: Context<AppEnv>, said: Said = {}) {
    const user = c.get("user");
    const s = (await withHealth(c.env, [await own(c)]))[0]!;
    const v = subscriptionView(s);
    const [recent, dead] = await Promise.all([deliveriesAcross(c.env, s.id, 30), deliveriesAcross(c.env, s.id, 50, "dead")]);
    const attempts = await attemptsAcross([...recent, ...dead]);
    const disableAfter = spanInItalian(config(c.env).WEBHOOK_DISABLE_AFTER_MS);
    const office = (await getOffice(centralDb(c.env), s.officeId))?.name ?? s.officeId;
    const qstash = Boolean(c.env.QSTASH_TOKEN);
    const done = DONE[c.req.query("fatto") ?? ""];
    const action = (path: string, label: string, tone = "btn-outline-primary", field?: [string, string]) => (
      <form method="post" action={`${base}/${s.id}/${path}`} class="d-inline">
        <input type="hidden" name="csrf" value={user.csrf} />
        {field && <input type="hidden" name={field[0]} value={field[1]} />}
        <button type="submit" class={`btn ${tone} btn-sm`}>{label}</button>
      </form>
    );
    if (said.fresh !== undefined) c.header("Cache-Control", "no-store");
    const off = s.disabledAt !== null;
    const table = (list: typeof recent) => (
      <table class="table table-stack">
        <thead><tr><th scope="col">Evento</th><th scope="col">Creato</th><th scope="col">Stato</th><th scope="col">Tentativi e risposte</th><th scope="col">Azione</th></tr></thead>
        <tbody>
          {list.map(({ d, kind }) => (
            <tr>
              <td data-label="Evento">{kindLabel(kind)}<div class="muted"><code>{d.eventId}</code></div></td>
              <td data-label="Creato">{when(d.createdAt)}</td>
              <td data-label="Stato">{off && d.status === "pending" ? "non verrà ritentato: l'abbonamento è sospeso; dopo la riattivazione lo reinvii" : DELIVERY[d.status]}
                {!off && d.status === "pending" && d.attempts > 0 && <div>nuovo tentativo alle {moment(d.dueAt)}</div>}</td>
              <td data-label="Tentativi e risposte">
                {attempts.filter((a) => a.deliveryId === d.id).map((a) => (
                  <div>{when(a.at)}: {a.status === null ? `nessuna risposta${a.error ? ` (${a.error})` : ""}` : `HTTP ${a.status}`}{a.response && <div><code class="text-break">{a.response.slice(0, 200)}</code></div>}</div>
                ))}
              </td>
              <td>
                {!off && d.status !== "sending" && d.status !== "published" && (
                  <form method="post" action={`${base}/${s.id}/consegne/${encodeURIComponent(d.id)}/riprova`}>
                    <input type="hidden" name="csrf" value={user.csrf} />
                    <button type="submit" class="btn btn-primary btn-sm">Reinvia</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
    return c.html(
      <Layout title="Abbonamento agli eventi" user={user} crumbs={base === "/admin/webhook" ? [["/admin", "Amministrazione"], [base, "Webhook in uscita"]] : [[base, "Webhook"]]}>
        {said.fresh && <SecretOnce secret={said.fresh} hint="Mostrato una sola volta. Il segreto precedente resta valido per 24 ore: gli eventi sono firmati con entrambi." />}
        {said.result && (
          <Alert tone={said.result.outcome === "delivered" || said.result.outcome === "published" ? "success" : "warning"}>
            {said.what}: {outcomeSentence(said.result)}{said.result.status !== null && ` (HTTP ${said.result.status})`}{said.result.error && said.result.status === null && ` (${said.result.error})`}.
          </Alert>
        )}
        {done && <Alert tone="success">{done}</Alert>}
        <p><span class={`badge ${STATE[v.status][1]}`}>{STATE[v.status][0]}</span> {stateSentence(s, disableAfter)}</p>
        <dl>
          <dt>Ufficio</dt><dd>{office}{s.description && <div class="muted">{s.description}</div>}</dd>
          <dt>Endpoint</dt><dd><code>{s.url}</code></dd>
          <dt>Eventi</dt><dd><ul class="mb-0">{s.kinds.map((k) => <li>{kindLabel(k)}</li>)}</ul></dd>
          <dt>Controllo del flusso</dt><dd>al massimo {s.parallelism} consegne contemporanee{qstash ? `, ${s.ratePerSecond} al secondo` : ""} (lo stabiliscono gli amministratori)</dd>
          <dt>Registro degli eventi</dt><dd>Per recuperare ciò che non ha ricevuto: <code>GET /api/v1/subscriptions/{s.id}/events</code> (vedi la <a href="/docs#recupero">documentazione</a>).</dd>
        </dl>
        <p>
          {off ? action("stato", "Riattiva l'abbonamento", "btn-primary", ["attivo", "1"]) : action("prova", "Invia un evento di prova", "btn-primary")}{" "}
          {action("ruota", "Nuovo segreto")} {!off && action("stato", "Sospendi", "btn-outline-danger", ["attivo", "0"])}
        </p>
        {!off && (
          <form method="post" action={`${base}/${s.id}/esempio`} class="row g-2 align-items-end mb-4">
            <input type="hidden" name="csrf" value={user.csrf} />
            <div class="col-auto">
              <label for="sample-type" class="form-label">Esempio di un tipo di evento (dati fittizi, <code>sample: true</code>)</label>
              <select id="sample-type" name="type" class="form-select">
                {OUTBOUND_KINDS.map((k) => <option value={k} selected={k === said.sampled}>{KIND_LABELS[k]} ({k})</option>)}
              </select>
            </div>
            <div class="col-auto"><button type="submit" class="btn btn-outline-primary btn-sm">Invia l'esempio</button></div>
          </form>
        )}
        <form method="post" action={`${base}/${s.id}/indirizzo`} class="mb-4">
          <input type="hidden" name="csrf" value={user.csrf} />
          <Field id="url" label="Indirizzo di destinazione" hint="Dal salvataggio, nuovi invii, nuovi tentativi e reinvii vanno al nuovo indirizzo; il segreto non cambia." error={said.error}>
            <input type="url" {...described("url", { hint: true, error: said.error })} name="url" required value={said.typedUrl ?? s.url} />
          </Field>
          <button type="submit" class="btn btn-outline-primary btn-sm">Cambia l'indirizzo</button>
        </form>
        {dead.length > 0 && (
          <>
            <h2>Eventi non consegnati</h2>
            <p>Termini ha smesso di riprovarli: si possono reinviare, con lo stesso webhook-id.</p>
            {table(dead)}
          </>
        )}
        <h2>Ultime consegne</h2>
        {recent.length === 0 ? <p>Nessuna consegna: nessun evento per questo abbonamento finora.</p> : table(recent)}
      </Layout>,
      said.error ? 422 : 200,
    );
  }

  const posted = async (c: Context<AppEnv>) => {
    const form = await readForm(c.req.raw);
    checkCsrf(c.get("user").csrf, form.csrf);
    return form;
  };

  app.get(`${base}/:id`, (c) => page(c));

  app.post(`${base}/:id/prova`, async (c) => {
    await posted(c);
    const s = await own(c);
    return page(c, { result: await sendTest(outboundContext(c.env, Date.now(), await testDb(c.env, s)), c.get("user").principal, s, c.get("requestId")), what: "Evento di prova" });
  });

  app.post(`${base}/:id/esempio`, async (c) => {
    const form = await posted(c);
    const s = await own(c);
    const kind = OUTBOUND_KINDS.find((k) => k === form.type);
    if (kind === undefined) throw new ApiError("invalid_body", "type: scelga un tipo di evento", { parameter: "type" });
    const ctx = outboundContext(c.env, Date.now(), await testDb(c.env, s));
    return page(c, { result: await sendSample(ctx, c.get("user").principal, s, kind, c.get("requestId")), what: `Esempio di «${KIND_LABELS[kind]}»`, sampled: kind });
  });

  app.post(`${base}/:id/ruota`, async (c) => {
    await posted(c);
    const { secret } = await rotateSecret(centralDb(c.env), who(c), c.req.param("id"));
    return page(c, { fresh: secret });
  });

  // The state asked for, not a toggle: a form sent twice (a double click, a second tab) asks the same again.
  app.post(`${base}/:id/stato`, async (c) => {
    const form = await posted(c);
    if (form.attivo !== "0" && form.attivo !== "1") throw new ApiError("invalid_body", "attivo: 0 o 1", { parameter: "attivo" });
    const s = await own(c);
    await updateSubscription(centralDb(c.env), who(c), s.id, { enabled: form.attivo === "1" }, caseDbs(c.env));
    return c.redirect(`${base}/${s.id}?fatto=${form.attivo === "1" ? "riattivato" : "sospeso"}`, 303);
  });

  app.post(`${base}/:id/indirizzo`, async (c) => {
    const form = await posted(c);
    const url = String(form.url ?? "");
    try {
      await updateSubscription(centralDb(c.env), who(c), c.req.param("id"), { url }, caseDbs(c.env));
    } catch (e) {
      // Said as a sentence of its own, without the API's "url: " prefix.
      const refused = refusalOf(e);
      if (refused?.extra.parameter === "url") return page(c, { error: capitalised(refused.detail.replace(/^url: /, "")), typedUrl: url });
      throw e;
    }
    return c.redirect(`${base}/${c.req.param("id")}?fatto=indirizzo`, 303);
  });

  app.post(`${base}/:id/consegne/:delivery/riprova`, async (c) => {
    await posted(c);
    const s = await own(c);
    const ctx = outboundContext(c.env, Date.now(), await deliveryDb(c.env, c.req.param("delivery")));
    return page(c, { result: await replay(ctx, c.get("user").principal, s, c.req.param("delivery"), c.get("requestId")), what: "Reinvio" });
  });

  return app;
}
