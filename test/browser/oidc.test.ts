/**
 * Signing in through the institution's identity provider, in a real browser against a real
 * OpenID provider (node-oidc-provider on loopback): each role signs in, lands where its work is,
 * does what it does there, and signs out of Termini and of the provider.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { base, capture, newPage, useBrowser, visit } from "./harness.js";

useBrowser();
const ROLE = "identita";

/** From Termini's sign-in page through the provider's login, back to Termini. */
async function throughProvider(page: Page, login: string, shots = false): Promise<void> {
  await visit(page, "/accedi");
  if (shots) await capture(page, ROLE, "01-accesso");
  await page.getByRole("link", { name: "Accedi con Identità di prova" }).click();
  // The provider's own page (not Termini's: not audited here).
  await page.getByRole("heading", { name: "Fornitore di identità di prova" }).waitFor();
  if (shots) await page.screenshot({ path: `artifacts/screenshots/${ROLE}/02-fornitore-390.png`, fullPage: true });
  await page.getByLabel("Identità").selectOption(login);
  await page.getByRole("button", { name: "Entra" }).click();
  await page.waitForURL((u) => u.toString().startsWith(base));
}

/** Sign-out: Termini's session ends, the provider asks to confirm its own, and the browser is back at Termini. */
async function signOut(page: Page, shots = false): Promise<void> {
  await page.getByRole("button", { name: "Esci" }).click();
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await page.waitForURL(`${base}/accedi?uscita=1`);
  await page.getByText("Sessione chiusa: è uscito da Termini.").waitFor();
  if (shots) await capture(page, ROLE, "05-uscita");
}

describe("each role signs in through the provider", () => {
  it("the operator: the office's deadlines", async () => {
    const page = await newPage();
    await throughProvider(page, "op-procura", true);
    expect(page.url()).toBe(`${base}/`);
    await page.getByRole("heading", { name: "Scadenze dell'ufficio", level: 1 }).waitFor();
    await capture(page, ROLE, "03-operatore");
    await signOut(page, true);
    // Signed out: the dashboard asks to sign in again.
    await visit(page, "/");
    expect(page.url()).toMatch(new RegExp(`^${base}/accedi`));
  });

  it("the head of office: the offices' deadlines", async () => {
    const page = await newPage();
    await throughProvider(page, "procuratore");
    await page.getByRole("heading", { name: "Scadenze degli uffici", level: 1 }).waitFor();
    await signOut(page);
  });

  for (const [login, who] of [["regione", "the region's officer"], ["ministero", "the ministry's officer"]] as const) {
    it(`${who}: the reports`, async () => {
      const page = await newPage();
      await throughProvider(page, login);
      expect(page.url()).toBe(`${base}/relazioni`);
      await page.getByRole("heading", { name: "Relazioni", level: 1 }).waitFor();
      await signOut(page);
    });
  }

  it("the administrator: the users, with the fiscal-code field for SPID and CIE", async () => {
    const page = await newPage();
    await throughProvider(page, "amministratore");
    await visit(page, "/admin/utenti/invita");
    await page.getByLabel("Codice fiscale (facoltativo)").waitFor();
    await signOut(page);
  });

  it("the data-protection officer: the log, with each access's reason, exported with its checksum", async () => {
    const page = await newPage({ acceptDownloads: true });
    await throughProvider(page, "dpo");
    expect(page.url()).toBe(`${base}/admin/registro`);
    // Nothing is read before a purpose is chosen.
    await page.getByText("Scelga la finalità della consultazione e prema «Filtra»").waitFor();
    await page.getByLabel("Finalità della consultazione").selectOption("liceita");
    await page.getByRole("button", { name: "Filtra" }).click();
    // The operator's dashboard, earlier in this file, is in the log with its reason.
    await page.locator("td", { hasText: "gestione delle scadenze dei propri uffici" }).first().waitFor();
    // The sign-ins just made through the provider are in the log, by name.
    await page.locator("td", { hasText: "ha eseguito l'accesso con il fornitore di identità «Identità di prova»" }).first().waitFor();
    await capture(page, ROLE, "04-registro");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "JSON" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^registro-accessi-\d{12}\.json$/);
    await download.delete();
    await signOut(page);
  });

  it("an unknown person is told no account matches, and gets none", async () => {
    const page = await newPage();
    await throughProvider(page, "sconosciuto");
    await page.getByText("Nessun utente di Termini corrisponde all'identità").waitFor();
    await capture(page, ROLE, "06-sconosciuto");
    await visit(page, "/");
    expect(page.url()).toMatch(new RegExp(`^${base}/accedi`));
  });
});
