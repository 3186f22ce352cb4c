/**
 * The administrator, in a real browser: walks the administration, invites a user choosing role and
 * offices from lists (a refusal lists every error at the top, and the focus goes there), reads the
 * outbox (scheduled, sent, attempts apart) and opens a message as it was sent, reads the audit log
 * as sentences, and creates an office with selects.
 */
import { expect, it } from "vitest";
import { capture, cron, daysAgo, freshRef, newPage, record, signIn, useBrowser, visit } from "./harness.js";

useBrowser();
const ROLE = "amministratore";

it("walks the administration, invites a user, opens a sent message, reads the log and creates an office", async () => {
  // Something in the outbox: an overdue case whose escalation the cron sends.
  expect(await record(freshRef(), "suspect.registered", daysAgo(40), { jurisdiction: "TO" })).toBe(201);
  await cron();
  const page = await newPage();
  await signIn(page, "amministratore@example.org", ROLE);
  await visit(page, "/admin");
  await page.getByRole("heading", { name: "Amministrazione", level: 1 }).waitFor();
  await capture(page, ROLE, "03-amministrazione");

  // An invitation: every error at once, at the top, with the focus there.
  await visit(page, "/admin/utenti/invita");
  await capture(page, ROLE, "04-invito");
  await page.getByLabel("Indirizzo di posta elettronica di servizio").fill("non-un-indirizzo");
  await page.getByRole("button", { name: "Invia l'invito" }).click();
  await page.getByText("Il modulo contiene 3 errori").waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute("data-error-summary"))).toBe("");
  await capture(page, ROLE, "05-invito-errori");
  await page.getByLabel("Nome e cognome").fill("Nuova Operatrice");
  await page.getByLabel("Indirizzo di posta elettronica di servizio").fill("nuova.operatrice@example.org");
  await page.getByLabel("Ruolo").selectOption("operator");
  await page.getByText("Torino", { exact: true }).click();
  // Bootstrap Italia draws the checkbox on its label: the administrator clicks the label.
  await page.locator('label[for="uffici-procura-torino"]').click();
  expect(await page.getByLabel("Procura della Repubblica presso il Tribunale di Torino — gruppo fasce deboli").isChecked()).toBe(true);
  await page.getByRole("button", { name: "Invia l'invito" }).click();
  await page.getByText("Invito inviato a nuova.operatrice@example.org").waitFor();
  expect(await page.getByRole("row", { name: /Nuova Operatrice/ }).innerText()).toMatch(/invitato il \d{2}\/\d{2}\/\d{4}/);
  await capture(page, ROLE, "06-utenti-invitato");

  // The outbox: scheduled, sent and attempts apart; a message opened as it was sent.
  await visit(page, "/admin/posta");
  await capture(page, ROLE, "07-posta");
  await page.getByRole("link", { name: /apri il (messaggio|riepilogo)/ }).first().click();
  await page.getByText("Apri la versione HTML").waitFor();
  expect(await page.locator("pre").innerText()).toContain("Ministero della Giustizia — Termini");
  await capture(page, ROLE, "08-messaggio-inviato");

  // The audit log: read for a purpose chosen first; sentences, the record behind a disclosure.
  await visit(page, "/admin/registro");
  await page.getByLabel("Finalità della consultazione").selectOption("controllo");
  await page.getByRole("button", { name: "Filtra" }).click();
  await page.waitForURL(/finalita=controllo/);
  expect(await page.locator("main").innerText()).toMatch(/Amministratore \(prova\) \(amministratore@example\.org\) ha invitato Nuova Operatrice/);
  await capture(page, ROLE, "09-registro");

  // An office, with its kind, district, calendar and superior chosen from lists.
  await visit(page, "/admin/uffici");
  await capture(page, ROLE, "10-rubrica");
  await page.getByRole("link", { name: "Nuovo ufficio" }).click();
  // A kind no other test resolves in that district: a second Procura in Turin would make the other files' cases ambiguous.
  await page.getByLabel("Identificativo").fill("cuav-milano");
  await page.getByLabel("Nome").fill("CUAV Milano (centro per uomini autori di violenza)");
  await page.getByLabel("Tipo di ufficio").selectOption("cuav");
  await page.getByLabel("Distretto").selectOption("MI");
  await page.getByLabel("Indirizzi di posta").fill("segreteria.cuav.milano@example.org");
  await page.getByLabel("Indirizzo di riserva").fill("direzione.cuav.milano@example.org");
  await page.getByLabel("Ufficio superiore nella catena di segnalazione").selectOption("pg-milano");
  await capture(page, ROLE, "11-nuovo-ufficio");
  await page.getByRole("button", { name: "Crea l'ufficio" }).click();
  await page.getByText("Ufficio «CUAV Milano (centro per uomini autori di violenza)» creato.").waitFor();

  for (const [path, name] of [["/admin/mittenti", "12-mittenti"], ["/admin/webhook", "13-webhook"]] as const) {
    await visit(page, path);
    await capture(page, ROLE, name);
  }
});
