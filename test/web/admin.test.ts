/** Admin pages: admins only; senders created and rotated with secrets that then verify webhooks. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { idleWorkflows, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { signedIn } from "./browser.js";
import { csrfOf } from "./csrf.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => { spy = await idleWorkflows(); });
afterAll(async () => { await spy.dispose(); });


it("keeps the admin pages for admins", async () => {
  const operator = await signedIn();
  for (const path of ["/admin", "/admin/uffici", "/admin/mittenti", "/admin/posta", "/admin/registro"]) {
    expect((await operator.go(path)).status).toBe(403);
  }
  const admin = await signedIn("amministratore@example.org");
  const directory = await (await admin.go("/admin/uffici")).text();
  expect(directory).toContain("Procuratore della Repubblica presso il Tribunale di Torino → Procura Generale presso la Corte d&#39;appello di Torino");
  expect((await admin.go("/admin/registro")).status).toBe(200);
  expect(await (await admin.go("/admin/posta")).text()).toContain("Link di accesso");
  // The demo senders' keys were created when the demo data was loaded, not on 1 January 1970.
  expect(await (await admin.go("/admin/mittenti")).text()).not.toContain("01/01/1970");
});

/** The secret shown once on the page that answers the POST. */
const secretIn = (html: string) => /id="nuovo" readonly="" size="60" value="(whsec_[^"]+)"/.exec(html)?.[1] ?? /value="(whsec_[^"]+)"/.exec(html)![1]!;

it("creates a sender whose secret signs webhooks, and rotates it keeping the old one for a day", async () => {
  const admin = await signedIn("amministratore@example.org");
  const created = await admin.go("/admin/mittenti", { form: { csrf: csrfOf(await (await admin.go("/admin/mittenti")).text()), id: "cav-prova", nome: "Centro di prova", uffici: "procura-torino" } });
  // The secret is in the answer to the POST, once: never in a URL, not on the next visit.
  expect([created.status, created.headers.get("Location"), created.headers.get("Cache-Control")]).toEqual([200, null, "no-store"]);
  const first = secretIn(await created.text());
  expect(first).toMatch(/^whsec_/);
  expect(await (await admin.go("/admin/mittenti")).text()).not.toContain(first);
  expect((await postWebhook(registration(newRef()), { secret: first })).status).toBe(201);

  const rotated = await admin.go("/admin/mittenti/cav-prova/ruota", { form: { csrf: csrfOf(await (await admin.go("/admin/mittenti")).text()) } });
  const second = secretIn(await rotated.text());
  expect(second).not.toBe(first);
  expect((await postWebhook(registration(newRef()), { secret: second })).status).toBe(201);
  // The old secret still verifies during the overlap.
  expect((await postWebhook(registration(newRef()), { secret: first })).status).toBe(201);
  expect(await (await admin.go("/admin/mittenti")).text()).toMatch(/valido fino al \d/);
});

it("lets a signed-in region officer download the region's report from the web app", async () => {
  // The demo directory's region officer (Piemonte).
  const officer = await signedIn("funzionario.regione@example.org");
  // The officer lands on the reports: the office deadlines are not theirs.
  const home = await officer.go("/");
  expect([home.status, home.headers.get("Location")]).toEqual([303, "/relazioni"]);
  const page = await (await officer.go("/relazioni")).text();
  const link = /href="(\/api\/v1\/reports\/regional\/\d{4}\?format=pdf&amp;region=Piemonte)"/.exec(page)![1]!.replaceAll("&amp;", "&");
  const pdf = await officer.go(link);
  expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
  expect((await officer.go("/api/v1/reports/national/2025")).status).toBe(403);
});

it("shows people an error page, and keeps problem+json for the API", async () => {
  const operator = await signedIn();
  const { exports } = await import("cloudflare:workers");
  const cookie = [...operator.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await exports.default.fetch("https://termini.test/admin", { headers: { Cookie: cookie, Accept: "text/html" } });
  expect(page.status).toBe(403);
  expect(page.headers.get("Content-Type")).toContain("text/html");
  expect(await page.text()).toContain("Pagine riservate agli amministratori");
  const api = await exports.default.fetch("https://termini.test/api/v1/cases", { headers: { Accept: "text/html" } });
  expect(api.headers.get("Content-Type")).toBe("application/problem+json");
});

it("creates a sender trusted for an event type of another office, and refuses a type the catalogue does not know", async () => {
  const admin = await signedIn("amministratore@example.org");
  const csrf = () => admin.go("/admin/mittenti").then(async (r) => csrfOf(await r.text()));
  const unknown = await admin.go("/admin/mittenti", { form: { csrf: await csrf(), id: "questura-prova-x", nome: "Questura di prova", uffici: "questura-torino", eventi: "constructor" } });
  expect(unknown.status).toBe(422);
  // The form again, with what was typed and the reason in Italian.
  const again = await unknown.text();
  expect(again).toContain('value="questura-prova-x"');
  expect(again).toContain('<a href="#eventi-elenco">Uno degli eventi scelti non è nel catalogo.</a>');
  // Every error at once: a short id and no office.
  const taken = await (await admin.go("/admin/mittenti", { form: { csrf: await csrf(), id: "x", nome: "Questura di prova" } })).text();
  expect(taken).toContain("Il modulo contiene 2 errori");
  expect(taken).toMatch(/id="id-errore"[^>]*role="alert">Identificativo richiesto/);
  expect(taken).toContain('<a href="#uffici-elenco">Scelga almeno un ufficio.</a>');
  const created = await admin.go("/admin/mittenti", {
    form: { csrf: await csrf(), id: "questura-prova", nome: "Questura di prova", uffici: "questura-torino", eventi: "removal.executed" },
  });
  const secret = secretIn(await created.text());
  const removal = { type: "removal.executed", caseRef: newRef(), occurredAt: new Date(Date.now() - 3_600_000).toISOString(), data: { jurisdiction: "TO" } };
  expect((await postWebhook(removal, { secret })).status).toBe(201);
  // Offices by name, trusted events by what they record.
  const list = await (await admin.go("/admin/mittenti")).text();
  expect(list).toContain("Allontanamento eseguito");
  expect(list).toContain("Questura di Torino — divisione anticrimine");
});
