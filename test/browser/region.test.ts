/**
 * The regional officer (Piemonte), in a real browser: lands on the reports, not on an office's
 * deadlines, and files a new version of the region's report, listed with its data date.
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
