/**
 * The regional officer (Piemonte), in a real browser: lands on the reports, not on an office's
 * deadlines, and files a new version of the region's report, listed with its data date; cannot
 * transmit the year still running; transmits last year's after a confirmation naming the recipient,
 * then withdraws the transmission as a mistake.
 */
import { expect, it } from "vitest";
import { base, capture, newPage, signIn, useBrowser } from "./harness.js";

useBrowser();
const ROLE = "regione";

it("lands on the reports and files a new version of the region's report", async () => {
  const page = await newPage();
  await signIn(page, "funzionario.regione@example.org", ROLE);
  expect(page.url()).toBe(`${base}/relazioni`);
  await page.getByRole("heading", { name: "Relazioni", level: 1 }).waitFor();
  // No office deadlines in their navigation: reports are their work.
  expect(await page.getByRole("link", { name: "Scadenze dell'ufficio" }).count()).toBe(0);
  await capture(page, ROLE, "03-relazioni");
  await page.getByRole("button", { name: "Genera una nuova versione" }).first().click();
  await page.getByText(/Versione \d+, dati (provvisori )?al \d{2}\/\d{2}\/\d{4} alle \d{2}:\d{2}/).first().waitFor();
  await capture(page, ROLE, "04-nuova-versione");
});

it("transmits a finished year only after confirming, not the year still running, and withdraws a mistake", async () => {
  const page = await newPage();
  await signIn(page, "funzionario.regione@example.org", ROLE);
  const row = (year: string) => page.getByRole("row").filter({ hasText: `anno ${year}` });
  const year = Number(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Rome", year: "numeric" }).format(new Date()));
  // The year still running: a version can be generated, but it cannot be transmitted, and the page says from when.
  await row(String(year)).getByRole("button", { name: "Genera una nuova versione" }).click();
  await row(String(year)).getByText(`Periodo in corso: si potrà trasmettere dal 01/01/${year + 1}.`).waitFor();
  expect(await row(String(year)).getByRole("button", { name: "Trasmetti…" }).count()).toBe(0);
  // Last year: a version, then the confirmation that says what goes and to whom.
  await row(String(year - 1)).getByRole("button", { name: "Genera una nuova versione" }).click();
  await row(String(year - 1)).getByRole("button", { name: "Trasmetti…" }).click();
  await page.getByRole("heading", { name: "Conferma la trasmissione", level: 1 }).waitFor();
  await page.getByText("Al Ministro delegato per le pari opportunità (proposta di legge del 2020 (Senato), art. 1, comma 5)").waitFor();
  await capture(page, ROLE, "05-conferma-trasmissione");
  await page.getByRole("button", { name: /^Conferma e trasmetti la versione \d+$/ }).click();
  await page.getByText(new RegExp(`anno ${year - 1}: versione \\d+ trasmessa\\.`)).waitFor();
  await capture(page, ROLE, "06-trasmessa");
  // A mistake: withdrawn, after a confirmation that says what it undoes.
  await row(String(year - 1)).getByRole("button", { name: "Ritira la trasmissione…" }).click();
  await page.getByRole("heading", { name: "Conferma il ritiro della trasmissione", level: 1 }).waitFor();
  await capture(page, ROLE, "07-conferma-ritiro");
  await page.getByRole("button", { name: "Conferma il ritiro della trasmissione" }).click();
  await page.getByText(/è stata ritirata; l'adempimento è di nuovo aperto\./).waitFor();
  await row(String(year - 1)).getByText(/trasmissione ritirata il \d{2}\/\d{2}\/\d{4}/).waitFor();
  await capture(page, ROLE, "08-ritirata");
});
