/**
 * Outbound webhooks in the admin area: every subscription with its state (a
 * failing or disabled endpoint stands out) and the form that creates one;
 * each subscription's own page (subscription-page.tsx) is the one its office
 * sees too. The same domain functions as the API; every change audited there.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { centralDb } from "../db/districts.js";
import { offices } from "../db/schema.js";
import { SubscriptionBody, createSubscription, listSubscriptions, subscriptionView } from "../domain/subscriptions/subscriptions.js";
import { readForm } from "../http/body.js";
import { refusalOf } from "../http/problem.js";
import { deliveryCountsAcross, withHealth } from "../outbound/districts.js";
import { KIND_LABELS, OUTBOUND_KINDS } from "../outbound/events.js";
import { romeDateTime as when } from "./format.js";
import { Layout } from "./layout.js";
import { Field, SecretOnce, described } from "./ui.js";
import { STATE, kindLabel, subscriptionPages } from "./subscription-page.js";
import { checkCsrf } from "./session.js";
import { subscriptionActor } from "../routes/subscriptions.js";
import { createRouter } from "../http/router.js";

export const adminWebhooks = createRouter();


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
                <td>{s.kinds.map(kindLabel).join("; ")}</td>
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
    const refused = refusalOf(e);
    if (refused?.extra.parameter !== undefined) return listPage(c, undefined, { ...typed, field: String(refused.extra.parameter), error: refused.detail });
    throw e;
  }
});

adminWebhooks.route("/", subscriptionPages("/admin/webhook"));
