/**
 * /webhook: the office's own subscriptions, for its staff. An operator of
 * the Procura sees its subscription (not the CUAV's), sends a sample, sees
 * the endpoint's answer, changes the address (a refused one said beside the
 * field), pauses and resumes; readers of reports have no such page.
 */
import { expect, it } from "vitest";
import { subscribe } from "../outbound/helpers.js";
import { signedIn } from "./browser.js";
import { csrfOf } from "./csrf.js";


it("lets the office's staff run their own subscription, and only theirs", async () => {
  const own = await subscribe(`office-page-${crypto.randomUUID()}`, { office: "procura-torino", kinds: ["deadline.opened"] });
  const other = await subscribe(`office-other-${crypto.randomUUID()}`, { office: "cuav-torino", kinds: ["deadline.opened"] });
  const operator = await signedIn();
  const list = await (await operator.go("/webhook")).text();
  expect(list).toContain(`href="/webhook/${own.id}"`);
  expect(list).not.toContain(other.id);
  expect(list).toContain('href="/webhook" aria-current="page"');
  expect((await operator.go(`/webhook/${other.id}`)).status).toBe(404);

  const detail = await (await operator.go(`/webhook/${own.id}`)).text();
  expect(detail).toContain("Gli eventi vengono inviati all&#39;endpoint appena accadono.");
  const csrf = csrfOf(detail);
  await own.endpoint.setup({ statuses: [500] });
  const sampled = await (await operator.go(`/webhook/${own.id}/esempio`, { form: { csrf, type: "deadline.closed" } })).text();
  expect(sampled).toContain("Esempio di «Una scadenza si chiude (rispettata, tardiva o ritirata)»: non consegnato, Termini riproverà (HTTP 500).");
  expect(sampled).toContain("{&quot;received&quot;:false}");
  expect(sampled).toContain("L&#39;endpoint rifiuta gli eventi dalle");

  const refused = await operator.go(`/webhook/${own.id}/indirizzo`, { form: { csrf, url: "ftp://centro.example/hook" } });
  expect(refused.status).toBe(422);
  const refusedPage = await refused.text();
  expect(refusedPage).toContain('aria-describedby="url-aiuto url-errore"');
  expect(refusedPage).toContain('value="ftp://centro.example/hook"');
  expect(refusedPage).toContain("L&#39;endpoint deve essere HTTPS");
  const moved = await operator.go(`/webhook/${own.id}/indirizzo`, { form: { csrf, url: other.endpoint.url } });
  expect([moved.status, moved.headers.get("Location")]).toEqual([303, `/webhook/${own.id}?fatto=indirizzo`]);
  const after = await (await operator.go(moved.headers.get("Location")!)).text();
  expect(after).toContain(other.endpoint.url);
  expect(after).toContain("Indirizzo cambiato: i prossimi invii vanno al nuovo indirizzo.");

  await operator.go(`/webhook/${own.id}/stato`, { form: { csrf, attivo: "0" } });
  // Sent twice (a double click, a second tab): still paused, not toggled back.
  await operator.go(`/webhook/${own.id}/stato`, { form: { csrf, attivo: "0" } });
  const paused = await (await operator.go(`/webhook/${own.id}`)).text();
  expect(paused).toContain("sospeso");
  expect(paused).toContain("Riattiva l&#39;abbonamento");
  await operator.go(`/webhook/${own.id}/stato`, { form: { csrf, attivo: "1" } });
  expect(await (await operator.go(`/webhook/${own.id}`)).text()).toContain("Sospendi");
});

it("is not for readers of reports, and sends administrators to their own page", async () => {
  const region = await signedIn("funzionario.regione@example.org");
  expect((await region.go("/webhook")).status).toBe(403);
  const admin = await signedIn("amministratore@example.org");
  const res = await admin.go("/webhook");
  expect([res.status, res.headers.get("Location")]).toEqual([303, "/admin/webhook"]);
});
