/**
 * The operator of a Procura, in a real browser: signs in through the link in the outbox, sees the
 * overdue deadline, opens the case ("what now?" first), records the request for measures — the
 * confirmation says what will happen — and the Procura's reminders stop; a removal whose 48 hours
 * passed says it lapsed and offers no act.
 */
import { expect, it } from "vitest";
import { ADMIN, base, capture, cron, daysAgo, freshRef, newPage, record, signIn, visit, useBrowser } from "./harness.js";

useBrowser();
const ROLE = "operatore";

/** Waits (two minutes at most) until the case's first stage shows the lapse, running the cron between looks. */
async function lapsed(ref: string): Promise<void> {
  for (const until = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 500))) {
    const view = (await (await fetch(`${base}/api/v1/cases/${encodeURIComponent(ref)}`, { headers: ADMIN })).json()) as { timelines: { deadlines: { status: string }[] }[] };
    if (view.timelines[0]?.deadlines[0]?.status === "lapsed") return;
    if (Date.now() > until) throw new Error(`the removal ${ref} has not lapsed: ${JSON.stringify(view.timelines[0]?.deadlines)}`);
    await cron();
  }
}

it("signs in, sees the overdue deadline, records the request for measures after seeing what it will do, and the reminders stop", async () => {
  const ref = freshRef();
  expect(await record(ref, "suspect.registered", daysAgo(25), { jurisdiction: "TO" })).toBe(201);
  // A removal decreed by the PM 49 hours ago, with no request for validation: it has lapsed (art. 384-bis co. 2-bis).
  const removal = freshRef();
  expect(await record(removal, "removal.executed", new Date(Date.now() - 49 * 3_600_000).toISOString(), { jurisdiction: "TO" })).toBe(201);

  const page = await newPage();
  await signIn(page, "operatore.procura@example.org", ROLE);
  await page.getByRole("heading", { name: "Scadenze dell'ufficio" }).waitFor();
  await expect(page.getByRole("link", { name: ref }).isVisible()).resolves.toBe(true);
  // The Procura's quarterly data for the PG (opened by the cron at the server's start) is an obligation, not a case.
  expect(await page.getByRole("link", { name: "Adempimento periodico" }).count()).toBeGreaterThan(0);
  await capture(page, ROLE, "03-scadenze");

  await page.getByRole("link", { name: ref }).click();
  await page.getByText("Che cosa c'è da fare").waitFor();
  await capture(page, ROLE, "04-procedimento");
  // Keyboard: the first Tab reaches the skip link.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent)).toBe("Vai al contenuto");

  await page.getByRole("link", { name: "Registra la richiesta di misure" }).click();
  await page.getByRole("button", { name: "Continua" }).waitFor();
  await capture(page, ROLE, "05-atto-quando");
  // The act's time starts at now; the clerk continues to see what recording will do.
  await page.getByRole("button", { name: "Continua" }).click();
  await page.getByText("Che cosa succede confermando").waitFor();
  const preview = await page.locator("main").innerText();
  expect(preview).toMatch(/La fase «Valutazione del pubblico ministero sulle misure cautelari» si chiude nel termine/);
  expect(preview).toMatch(/Si apre la fase «[^»]+»: tocca all'Ufficio GIP del Tribunale di Torino/);
  await capture(page, ROLE, "06-atto-conferma");
  await page.getByRole("button", { name: "Conferma e registra" }).click();
  await page.getByText("Azione registrata").waitFor();
  await capture(page, ROLE, "07-atto-registrato");

  const view = (await (await fetch(`${base}/api/v1/cases/${encodeURIComponent(ref)}`, { headers: ADMIN })).json()) as {
    timelines: { deadlines: { stage: string; status: string; notifications: { status: string }[] }[] }[];
  };
  const [pm, gip] = view.timelines[0]!.deadlines;
  expect(pm!.status).toBe("met");
  // The PM's reminders stop; the GIP's 20 days start.
  expect(pm!.notifications.some((n) => n.status === "scheduled")).toBe(false);
  expect(gip!.stage).toBe("gip-decision");

  // The lapse is recorded by the workflow (or the cron, triggered here until it has been).
  await lapsed(removal);
  await visit(page, `/cases/${encodeURIComponent(removal)}?ufficio=procura-torino`);
  await page.getByText("Perché questa data").first().waitFor();
  const text = await page.locator("main").innerText();
  expect(text).toContain("allontanamento divenuto inefficace");
  expect(text).toContain("Termine scaduto senza l'atto: allontanamento divenuto inefficace");
  expect(text).not.toContain("Registra la richiesta di convalida");
  await capture(page, ROLE, "08-allontanamento-inefficace");

  await visit(page, "/calendario");
  await capture(page, ROLE, "09-calendario");
  await visit(page, "/accessibilita");
  await capture(page, ROLE, "10-dichiarazione-accessibilita");
});
