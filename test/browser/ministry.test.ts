/**
 * The ministry officer, in a real browser: lands on the reports and downloads the national report
 * as a PDF, named by kind, year and version.
 */
import { expect, it } from "vitest";
import { base, capture, newPage, signIn, useBrowser } from "./harness.js";

useBrowser();
const ROLE = "ministero";

it("lands on the reports and downloads the national report as a PDF", async () => {
  const page = await newPage({ acceptDownloads: true });
  await signIn(page, "funzionario.ministero@example.org", ROLE);
  expect(page.url()).toBe(`${base}/relazioni`);
  await page.getByRole("heading", { name: "Relazioni", level: 1 }).waitFor();
  await capture(page, ROLE, "03-relazioni");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF" }).first().click()]);
  // The year still running: the file says it is provisional in its name too.
  expect(download.suggestedFilename()).toMatch(/^termini-national-\d{4}-IT-v\d+-provvisoria\.pdf$/);
  await download.delete();
  // Twenty regions would be one long page: one at a time, chosen under the national report.
  await page.getByLabel("Regione").selectOption("Piemonte");
  await page.getByRole("button", { name: "Mostra le relazioni della regione" }).click();
  await page.getByRole("heading", { name: "Relazione regionale — Piemonte", level: 2 }).waitFor();
  expect(page.url()).toBe(`${base}/relazioni?regione=Piemonte`);
  await capture(page, ROLE, "04-regione-scelta");
});
