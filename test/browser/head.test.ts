/**
 * The head of office (the Procuratore), in a real browser: lands on the escalations sent to them
 * first, then the deadlines of the offices they oversee; follows a count to the overdue ones, opens
 * the case behind an escalation, and subscribes a calendar (a new address, copied with the button).
 */
import { expect, it } from "vitest";
import { base, capture, cron, daysAgo, freshRef, newPage, record, signIn, useBrowser, visit } from "./harness.js";

useBrowser();
const ROLE = "capo-ufficio";

it("reads the escalations first, follows the overdue count, opens the case, and copies a new calendar address", async () => {
  // The Procura's assessment ran out ten days ago: the escalation to the Procuratore goes out with the cron.
  const late = freshRef();
  expect(await record(late, "suspect.registered", daysAgo(40), { jurisdiction: "TO" })).toBe(201);
  await cron();

  const page = await newPage({ permissions: ["clipboard-read", "clipboard-write"] });
  await signIn(page, "procuratore@example.org", ROLE);
  await page.getByRole("heading", { name: "Segnalazioni ricevute negli ultimi 30 giorni" }).waitFor();
  const received = await page.locator("section[aria-labelledby=segnalazioni]").innerText();
  expect(received).toContain(late);
  expect(received).toMatch(/Atto non ancora registrato: scaduta da \d+ giorni/);
  await capture(page, ROLE, "03-segnalazioni-e-scadenze");

  // The counts are links: the overdue ones alone.
  await page.getByRole("link", { name: /\d+ scadut[ae]/ }).click();
  await page.waitForURL(`${base}/?stato=scadute`);
  expect(await page.getByLabel("Stato").inputValue()).toBe("scadute");
  await capture(page, ROLE, "04-solo-scadute");

  await page.getByRole("link", { name: late }).first().click();
  await page.getByText("Che cosa c'è da fare").waitFor();
  await capture(page, ROLE, "05-procedimento");

  // A new calendar address, shown once, copied with the button (the served script).
  await visit(page, "/calendario");
  await page.getByRole("button", { name: "Crea un nuovo indirizzo" }).click();
  const address = await page.getByLabel("Indirizzo del calendario").inputValue();
  expect(address).toMatch(new RegExp(`^${base}/ical/[A-Za-z0-9_-]{20,}\\.ics$`));
  await page.getByRole("button", { name: "Copia" }).click();
  await page.getByRole("button", { name: "Copiato" }).waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(address);
  await capture(page, ROLE, "06-calendario-nuovo-indirizzo");
  // Reloading does not show it again.
  await visit(page, "/calendario");
  expect(await page.getByLabel("Indirizzo del calendario").count()).toBe(0);
});
