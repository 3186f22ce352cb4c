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
  expect(download.suggestedFilename()).toMatch(/^termini-national-\d{4}-IT-v\d+\.pdf$/);
  await download.delete();
});
