/**
 * The integrations, in a real browser: an operator of the Procura runs the
 * office's own webhook subscription — finds it under "Webhook", sends a
 * sample, sees the endpoint's answer, is told beside the field why an
 * address is refused, pauses it and reads what that means — and an
 * administrator issues an API credential for an office's system, its token
 * shown once.
 */
import { expect, it } from "vitest";
import { fakeEndpoint } from "../fake-endpoint/client.js";
import { ADMIN, base, capture, newPage, signIn, useBrowser, visit } from "./harness.js";

useBrowser();
const ROLE = "integrazioni";

it("lets the office run its subscription and the administrator issue a credential", async () => {
  const endpoint = fakeEndpoint(`browser-${crypto.randomUUID()}`);
  const res = await fetch(`${base}/api/v1/subscriptions`, {
    method: "POST", headers: { ...ADMIN, "Content-Type": "application/json" },
    body: JSON.stringify({ office: "procura-torino", url: endpoint.url, kinds: ["deadline.opened", "deadline.closed"], description: "Registro informatico della Procura" }),
  });
  expect(res.status).toBe(201);
  // The receiver refuses at first: the page shows its answer.
  await endpoint.setup({ secret: ((await res.json()) as { secret: string }).secret, statuses: [503] });

  const page = await newPage();
  await signIn(page, "operatore.procura@example.org");
  await page.getByRole("link", { name: "Webhook" }).click();
  await page.getByRole("heading", { name: "Webhook", level: 1 }).waitFor();
  await capture(page, ROLE, "01-webhook-ufficio");
  await page.getByRole("link", { name: endpoint.url }).click();
  await page.getByText("Gli eventi vengono inviati all'endpoint appena accadono.").waitFor();
  await page.getByLabel(/Esempio di un tipo di evento/).selectOption("deadline.closed");
  await page.getByRole("button", { name: "Invia l'esempio" }).click();
  await page.getByText(/non consegnato, Termini riproverà \(HTTP 503\)/).waitFor();
  expect(await page.locator("main").innerText()).toContain('{"received":false}');
  await capture(page, ROLE, "02-esempio-rifiutato");

  await page.getByLabel("Indirizzo di destinazione", { exact: true }).fill("ftp://centro.example/hook");
  await page.getByRole("button", { name: "Cambia l'indirizzo" }).click();
  await page.getByText(/L'endpoint deve essere HTTPS/).waitFor();
  await capture(page, ROLE, "03-indirizzo-rifiutato");

  await page.getByRole("button", { name: "Sospendi" }).click();
  await page.getByText(/gli eventi non vengono inviati, né lo saranno dopo la riattivazione/).waitFor();
  await capture(page, ROLE, "04-sospeso");
  await page.getByRole("button", { name: "Riattiva l'abbonamento" }).click();
  await page.getByText(/Abbonamento riattivato: gli eventi nuovi vengono inviati/).waitFor();
  await capture(page, ROLE, "05-riattivato");

  const admin = await newPage();
  await signIn(admin, "amministratore@example.org");
  await visit(admin, "/admin/credenziali");
  await admin.getByLabel("Nome del sistema").fill("Registro del CUAV di Torino");
  await admin.getByText("Torino", { exact: true }).click();
  await admin.locator('label[for="uffici-cuav-torino"]').click();
  await admin.getByLabel("Finalità delle consultazioni").fill("gestione dei programmi del centro per uomini autori di violenza");
  await admin.getByRole("button", { name: "Rilascia la credenziale" }).click();
  await admin.getByText(/è mostrato una sola volta/).waitFor();
  expect(await admin.locator('input[value^="trm_"]').count()).toBe(1);
  await capture(admin, ROLE, "06-credenziale-rilasciata");
});
