/**
 * /webhook — an office's own outbound subscriptions, for its staff: the
 * list with each state, and each subscription's page (subscription-page.tsx)
 * where they see its deliveries and run it. Administrators have theirs under
 * /admin/webhook; readers of reports and the log have none.
 */
import { centralDb } from "../db/districts.js";
import { listSubscriptions, subscriptionView, visibleTo } from "../domain/subscriptions/subscriptions.js";
import { ApiError } from "../http/problem.js";
import { withHealth } from "../outbound/districts.js";
import { Layout } from "./layout.js";
import { requireUser } from "./session.js";
import { STATE, kindLabel, subscriptionPages } from "./subscription-page.js";
import { createRouter } from "../http/router.js";

export const officeWebhooks = createRouter();

officeWebhooks.use("/webhook", requireUser);
officeWebhooks.use("/webhook/*", requireUser);
officeWebhooks.use("/webhook/*", async (c, next) => {
  const role = c.get("user").role;
  if (role !== "operator" && role !== "head" && role !== "admin") throw new ApiError("forbidden", "Gli abbonamenti ai webhook sono degli uffici che li ricevono");
  await next();
});

officeWebhooks.get("/webhook", async (c) => {
  const user = c.get("user");
  if (user.role === "admin") return c.redirect("/admin/webhook", 303);
  if (user.role !== "operator" && user.role !== "head") throw new ApiError("forbidden", "Gli abbonamenti ai webhook sono degli uffici che li ricevono");
  const subs = await withHealth(c.env, visibleTo(user.principal, await listSubscriptions(centralDb(c.env))));
  return c.html(
    <Layout title="Webhook" user={user} current="/webhook">
      <p>I sistemi del suo ufficio che ricevono gli eventi di Termini. Da qui può vederne le consegne e le risposte, reinviare un evento, cambiare l'indirizzo, sospendere o riattivare l'abbonamento e rinnovare il segreto.</p>
      {subs.length === 0 ? <p>Nessun abbonamento per il suo ufficio. Per riceverne gli eventi, chieda a un amministratore di crearne uno.</p> : (
        <table class="table table-stack">
          <thead><tr><th scope="col">Indirizzo di destinazione</th><th scope="col">Eventi</th><th scope="col">Stato</th></tr></thead>
          <tbody>
            {subs.map((s) => {
              const v = subscriptionView(s);
              return (
                <tr>
                  <td data-label="Indirizzo di destinazione"><a href={`/webhook/${s.id}`}>{s.url}</a>{s.description && <div class="muted">{s.description}</div>}</td>
                  <td data-label="Eventi"><ul class="mb-0">{s.kinds.map((k) => <li>{kindLabel(k)}</li>)}</ul></td>
                  <td data-label="Stato"><span class={`badge ${STATE[v.status][1]}`}>{STATE[v.status][0]}</span></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>,
  );
});

officeWebhooks.route("/", subscriptionPages("/webhook"));
