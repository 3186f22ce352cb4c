/**
 * The outbound webhook pages: admins only; a subscription created from the
 * form with its secret shown once; a refused form says why beside the
 * field; the detail page sends a test event, lists the dead-letter queue
 * and replays from it, and disables the subscription.
 */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { fakeEndpoint } from "../fake-endpoint/client.js";
import { signedIn } from "./browser.js";
import { csrfOf } from "./csrf.js";

const secretIn = (html: string) => /value="(whsec_[^"]+)"/.exec(html)?.[1];

it("keeps the webhook pages for admins", async () => {
  const operator = await signedIn();
  expect((await operator.go("/admin/webhook")).status).toBe(403);
  expect((await operator.go("/admin/webhook/sub_x")).status).toBe(403);
});

it("creates a subscription from the form, shows its secret once, and refuses a bad form beside the field", async () => {
  const admin = await signedIn("amministratore@example.org");
  const endpoint = fakeEndpoint(`page-${crypto.randomUUID()}`);
  const csrf = csrfOf(await (await admin.go("/admin/webhook")).text());
  const refused = await admin.go("/admin/webhook", { form: { csrf, office: "cuav-torino", url: "ftp://centro.example/hook", kinds: ["deadline.opened"], parallelism: "2" } });
  expect(refused.status).toBe(422);
  const page = await refused.text();
  expect(page).toContain('aria-describedby="url-errore"');
  expect(page).toContain("l&#39;endpoint deve essere HTTPS");
  expect(page).toContain('value="ftp://centro.example/hook"');
  const noKinds = await (await admin.go("/admin/webhook", { form: { csrf, office: "cuav-torino", url: endpoint.url, parallelism: "2" } })).text();
  expect(noKinds).toContain("Scelga almeno un tipo di evento.");
  const unknown = await (await admin.go("/admin/webhook", { form: { csrf, office: "nessuno", url: endpoint.url, kinds: ["deadline.opened"], parallelism: "2" } })).text();
  expect(unknown).toContain('aria-describedby="office-aiuto office-errore"');

  const created = await admin.go("/admin/webhook", { form: { csrf, office: "cuav-torino", url: endpoint.url, kinds: ["deadline.opened", "deadline.closed"], parallelism: "2", description: "Registro CUAV" } });
  expect([created.status, created.headers.get("Cache-Control")]).toEqual([200, "no-store"]);
  const html = await created.text();
  const secret = secretIn(html)!;
  expect(secret).toMatch(/^whsec_/);
  expect(html).toContain("Si apre una scadenza; Una scadenza si chiude (rispettata, tardiva o ritirata)");
  const list = await (await admin.go("/admin/webhook")).text();
  expect(list).not.toContain(secret);
  expect(list).toContain("attivo");
});

it("sends a test event, replays a dead delivery from the queue, and disables the subscription", async () => {
  const admin = await signedIn("amministratore@example.org");
  const endpoint = fakeEndpoint(`page-detail-${crypto.randomUUID()}`);
  const csrf = csrfOf(await (await admin.go("/admin/webhook")).text());
  const secret = secretIn(await (await admin.go("/admin/webhook", { form: { csrf, office: "cuav-torino", url: endpoint.url, kinds: ["deadline.opened"], parallelism: "2" } })).text())!;
  await endpoint.setup({ secret, always: 503 });
  const { id } = (await env.DB.prepare("SELECT id FROM subscriptions WHERE url = ?").bind(endpoint.url).first<{ id: string }>())!;

  const failed = await (await admin.go(`/admin/webhook/${id}/prova`, { form: { csrf } })).text();
  expect(failed).toContain("Evento di prova: non consegnato, Termini riproverà (HTTP 503).");
  expect(failed).toContain("endpoint in errore");
  // The retries ran out: the delivery is in the dead-letter queue.
  await env.DB.prepare("UPDATE outbound_deliveries SET status = 'dead' WHERE subscription_id = ?").bind(id).run();
  const detail = await (await admin.go(`/admin/webhook/${id}`)).text();
  expect(detail).toContain("Eventi non consegnati");
  const delivery = /consegne\/([^/"]+)\/riprova/.exec(detail)![1]!;

  await endpoint.setup({ always: null });
  const replayed = await (await admin.go(`/admin/webhook/${id}/consegne/${delivery}/riprova`, { form: { csrf } })).text();
  expect(replayed).toContain("Reinvio: consegnato (HTTP 200).");
  expect(replayed).toContain("attivo");
  const received = await endpoint.received();
  expect(received.map((r) => [r.status, r.verified])).toEqual([[503, true], [200, true]]);

  const off = await admin.go(`/admin/webhook/${id}/stato`, { form: { csrf, attivo: "0" } });
  expect([off.status, off.headers.get("Location")]).toEqual([303, `/admin/webhook/${id}?fatto=sospeso`]);
  const paused = await (await admin.go(`/admin/webhook/${id}`)).text();
  expect(paused).toContain("sospeso");
  expect(paused).toContain("gli eventi non vengono inviati, né lo saranno dopo la riattivazione");
  const audit = await env.DB.prepare("SELECT action, reason, json_extract(detail, '$.endpoint') AS endpoint FROM audit_log WHERE json_extract(detail, '$.subscription') = ? ORDER BY id").bind(id).all<{ action: string; reason: string | null; endpoint: string | null }>();
  expect(audit.results.filter((r) => r.action !== "outbound.delivered").map((r) => r.action)).toEqual(["subscription.created", "subscription.tested", "subscription.replayed", "subscription.paused"]);
  // The replayed delivery the endpoint took is a disclosure: logged with the address it went to, and why.
  const disclosed = audit.results.filter((r) => r.action === "outbound.delivered");
  expect(disclosed.length).toBeGreaterThan(0);
  expect(disclosed.every((r) => r.endpoint !== null && r.reason === "comunicazione dell'evento al sistema dell'ufficio che lo ha sottoscritto")).toBe(true);
});
