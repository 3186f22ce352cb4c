/**
 * A member of staff in a real browser (Debian's Chromium, driven by
 * playwright-core) against `wrangler dev`: signs in through the link in the
 * outbox, sees the deadline, records the closing event, and the reminders
 * stop. Screenshots are kept in artifacts/screenshots.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, it, onTestFailed } from "vitest";
import type { DevServer } from "../../bench/dev-server.js";
import { startDevServer } from "./server.js";

const ADMIN = { Authorization: "Bearer termini-local-demo-token" };
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's audit of the page as rendered: serious or critical violations, by rule. */
async function accessibilityProblems(page: import("playwright-core").Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // Runs in the page: its globals, not Node's.
    const g = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    return g.axe.run(g.document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
const SHOTS = "artifacts/screenshots";

/** How far the page is wider than its viewport (0: nothing to scroll sideways on a phone). */
async function sidewaysOverflow(page: import("playwright-core").Page): Promise<number> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
}
let server: DevServer;
let browser: Browser;

/**
 * A page whose waits (navigation, locators, events) allow two minutes, not Playwright's 30 s: CI
 * machines are shared, and a page load beside the fault tests' servers once took longer.
 */
/** Requests a page started and that have not finished, with when they started: what a failure prints. */
const pending = new Map<string, number>();
let requests = 0;

async function newPage(options?: Parameters<Browser["newPage"]>[0]) {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(120_000);
  // A navigation that times out while the server still answers has a request that never ended: say which.
  const key = (r: import("playwright-core").Request) => `${r.method()} ${r.url()} #${(r as unknown as { _n?: number })._n ??= ++requests}`;
  page.on("request", (r) => pending.set(key(r), Date.now()));
  page.on("requestfinished", (r) => pending.delete(key(r)));
  page.on("requestfailed", (r) => pending.delete(key(r)));
  return page;
}

/**
 * A navigation, tried again once if it times out. Under wrangler dev a page load on a loaded
 * machine has, rarely, had a stylesheet request that never finished while the server answered
 * everything else at once (the diagnosis printed below); one hung request of the dev server is
 * not what these tests are about, so the second attempt decides — and the first one is logged.
 */
async function visit(page: Page, url: string) {
  try {
    return await page.goto(url, { timeout: 60_000 });
  } catch (e) {
    if (!(e instanceof Error) || e.name !== "TimeoutError") throw e;
    const open = [...pending].map(([k, t]) => `${k} (${Math.round((Date.now() - t) / 1000)} s)`);
    console.error(`[browser] ${url} timed out once; ${await server.diagnosis()}; requests not finished: ${open.join(", ") || "none"}`);
    return page.goto(url);
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startDevServer(8795);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

// A failure says what the server was doing: its last output, and whether it still answers.
beforeEach(() => {
  onTestFailed(async () => {
    const open = [...pending].map(([k, t]) => `${k} (${Math.round((Date.now() - t) / 1000)} s)`);
    console.error(`[browser] ${await server.diagnosis()}; requests not finished: ${open.length === 0 ? "none" : open.join(", ")}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("signs in by email link, sees the overdue deadline, records the closing event, and the reminders stop", async () => {
  const ref = `${9_000_000 + (Date.now() % 900_000)}/2026`;
  const registered = new Date(Date.now() - 25 * 86_400_000).toISOString();
  const started = await fetch(`${server.base}/api/v1/cases/${encodeURIComponent(ref)}/events`, {
    method: "POST", headers: { ...ADMIN, "Content-Type": "application/json" },
    body: JSON.stringify({ type: "suspect.registered", occurredAt: registered, data: { jurisdiction: "TO" } }),
  });
  expect(started.status).toBe(201);
  // A removal decreed by the PM 49 hours ago, with no request for validation: it has lapsed (art. 384-bis co. 2-bis).
  const removal = `${Number(ref.split("/")[0]) + 1}/2026`;
  const executed = await fetch(`${server.base}/api/v1/cases/${encodeURIComponent(removal)}/events`, {
    method: "POST", headers: { ...ADMIN, "Content-Type": "application/json" },
    body: JSON.stringify({ type: "removal.executed", occurredAt: new Date(Date.now() - 49 * 3_600_000).toISOString(), data: { jurisdiction: "TO" } }),
  });
  expect(executed.status).toBe(201);

  // The audit injects axe-core as a script: the page's own policy (no inline script) would block it, rightly.
  const page = await newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  await visit(page, `${server.base}/`);
  await page.getByLabel("Indirizzo di posta elettronica").fill("operatore.procura@example.org");
  await page.getByRole("button", { name: "Invia il link di accesso" }).click();
  await page.getByText("riceverà a breve un link").waitFor();
  await page.screenshot({ path: `${SHOTS}/1-link-inviato.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await sidewaysOverflow(page)).toBe(0);

  // The link sent to this address (the outbox may also hold what the cron sent today, e.g. an obligation's reminder).
  await visit(page, await linkFor("operatore.procura@example.org"));
  await page.getByRole("button", { name: "Accedi a Termini" }).click();
  await page.getByRole("heading", { name: "Scadenze dell'ufficio" }).waitFor();
  await expect(page.getByRole("link", { name: ref }).isVisible()).resolves.toBe(true);
  await page.screenshot({ path: `${SHOTS}/2-scadenze.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await sidewaysOverflow(page)).toBe(0);

  await page.getByRole("link", { name: ref }).click();
  await page.getByText("Perché questa data").first().waitFor();
  await page.screenshot({ path: `${SHOTS}/3-procedimento.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await sidewaysOverflow(page)).toBe(0);
  // Keyboard: the first Tab reaches the skip link.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent)).toBe("Vai al contenuto");
  await page.getByRole("link", { name: "Registra la richiesta di misure" }).click();
  // The act's time starts at now; the clerk continues to see what recording will do.
  await page.getByRole("button", { name: "Continua" }).click();
  await page.getByText("Che cosa succede confermando").waitFor();
  await page.screenshot({ path: `${SHOTS}/4-conferma.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole("button", { name: "Conferma e registra" }).click();
  await page.getByText("Azione registrata").waitFor();
  await page.screenshot({ path: `${SHOTS}/4-azione-registrata.png`, fullPage: true });

  const view = (await (await fetch(`${server.base}/api/v1/cases/${encodeURIComponent(ref)}`, { headers: ADMIN })).json()) as {
    timelines: { deadlines: { stage: string; status: string; notifications: { status: string }[] }[] }[];
  };
  const [pm, gip] = view.timelines[0]!.deadlines;
  expect(pm!.status).toBe("met");
  // The PM's reminders stop; the GIP's 20 days start.
  expect(pm!.notifications.every((n) => n.status === "cancelled" || n.status === "sent" || n.status === "superseded")).toBe(true);
  expect(pm!.notifications.some((n) => n.status === "scheduled")).toBe(false);
  expect(gip!.stage).toBe("gip-decision");

  // The lapse is recorded by the workflow (or the cron, triggered here until it has been).
  await lapsed(removal);
  await visit(page, `${server.base}/cases/${encodeURIComponent(removal)}?ufficio=procura-torino`);
  await page.getByText("Perché questa data").first().waitFor();
  await page.screenshot({ path: `${SHOTS}/5-allontanamento-inefficace.png`, fullPage: true });
  const text = await page.locator("main").innerText();
  expect(text).toContain("allontanamento divenuto inefficace");
  expect(text).toContain("Termine scaduto senza l'atto: allontanamento divenuto inefficace");
  expect(text).not.toContain("Registra la richiesta di convalida");
  expect(text.toLowerCase()).toContain("che cosa c'è da fare");
  expect(await accessibilityProblems(page)).toEqual([]);
  expect(await sidewaysOverflow(page)).toBe(0);
  // The same pages on a desktop: one column, the line at the left, nothing under it.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${SHOTS}/5-allontanamento-inefficace-1280.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
  await visit(page, `${server.base}/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`);
  await page.getByText("Che cosa c'è da fare").waitFor();
  await page.screenshot({ path: `${SHOTS}/3-procedimento-1280.png`, fullPage: true });
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.close();
});

/** Waits (two minutes at most) until the case's first stage shows the lapse, running the cron between looks. */
async function lapsed(ref: string): Promise<void> {
  for (const until = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 500))) {
    const view = (await (await fetch(`${server.base}/api/v1/cases/${encodeURIComponent(ref)}`, { headers: ADMIN })).json()) as { timelines: { deadlines: { status: string }[] }[] };
    if (view.timelines[0]?.deadlines[0]?.status === "lapsed") return;
    if (Date.now() > until) throw new Error(`the removal ${ref} has not lapsed: ${JSON.stringify(view.timelines[0]?.deadlines)}`);
    await server.cron();
  }
}

it("renders under its own security policy: Bootstrap Italia and its fonts come from the Worker, and nothing is refused", async () => {
  const page = await newPage();
  const refused: string[] = [];
  const elsewhere: string[] = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  page.on("request", (r) => { if (new URL(r.url()).origin !== server.base) elsewhere.push(r.url()); });
  await visit(page, `${server.base}/accedi`);
  // Runs in the page: the DOM's globals, which the Worker's type library does not declare.
  const looks = await page.evaluate(async () => {
    const g = globalThis as unknown as { document: { fonts: { ready: Promise<unknown>; check(f: string): boolean }; body: unknown; querySelector(s: string): unknown }; getComputedStyle(e: unknown): { fontFamily: string; position: string; backgroundColor: string } };
    await g.document.fonts.ready;
    return {
      font: g.getComputedStyle(g.document.body).fontFamily,
      titillium: g.document.fonts.check('16px "Titillium Web"'),
      skip: g.getComputedStyle(g.document.querySelector(".skiplinks a")).position,
      header: g.getComputedStyle(g.document.querySelector(".it-header-center-wrapper")).backgroundColor,
    };
  });
  expect(looks.font).toContain("Titillium Web");
  expect(looks.titillium).toBe(true);
  // Bootstrap Italia's own rules: the skip link is hidden until focused, the header is the PA blue.
  expect(looks.skip).toBe("absolute");
  expect(looks.header).toBe("rgb(0, 102, 204)");
  expect(refused).toEqual([]);
  expect(elsewhere).toEqual([]);
  await page.close();
});

/** The newest sign-in link the outbox holds for this address, once it is there (generously bounded). */
async function linkFor(email: string): Promise<string> {
  for (const until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
    const outbox = (await (await fetch(`${server.base}/api/v1/outbox`, { headers: ADMIN })).json()) as { mail: { to: string[]; text: string }[] };
    const link = outbox.mail.filter((m) => m.to.includes(email)).map((m) => /http:\/\/localhost:\d+\/accedi\/link\?[^\s]+/.exec(m.text)?.[0]).find((l) => l !== undefined);
    if (link !== undefined) return link;
    if (Date.now() > until) throw new Error(`no sign-in link for ${email} in the outbox`);
  }
}

/** Signs in through the link the outbox holds for this address (the newest one). */
async function signIn(page: import("playwright-core").Page, email: string): Promise<void> {
  await visit(page, `${server.base}/accedi`);
  await page.getByLabel("Indirizzo di posta elettronica").fill(email);
  await page.getByRole("button", { name: "Invia il link di accesso" }).click();
  await page.getByText("riceverà a breve un link").waitFor();
  await visit(page, await linkFor(email));
  await page.getByRole("button", { name: "Accedi a Termini" }).click();
  // Region and ministry officers land on their reports.
  await page.waitForURL(new RegExp(`^${server.base}/(relazioni)?$`));
}

it("walks the administrator's pages, on a phone and on a desktop, each audited for accessibility", async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    const page = await newPage({ viewport, bypassCSP: true });
    await signIn(page, "amministratore@example.org");
    for (const [path, heading] of [
      ["/admin", "Amministrazione"], ["/admin/utenti", "Utenti"], ["/admin/uffici", "Rubrica degli uffici"],
      ["/admin/uffici/procura-torino", "Ufficio procura-torino"], ["/admin/mittenti", "Sistemi mittenti"],
      ["/admin/posta", null], ["/admin/registro", null], ["/calendario", "Calendario delle scadenze"], ["/relazioni", "Relazioni"],
    ] as const) {
      const res = await visit(page, `${server.base}${path}`);
      expect(res?.status(), path).toBe(200);
      if (heading !== null) await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await page.screenshot({ path: `${SHOTS}/admin-${viewport.width}${path.replaceAll("/", "-")}.png`, fullPage: true });
      expect(await accessibilityProblems(page), `${path} at ${viewport.width}px`).toEqual([]);
      expect(await sidewaysOverflow(page), `${path} at ${viewport.width}px`).toBe(0);
    }
    await page.close();
  }
});

it("walks each other role's pages (head of office, region, ministry) on a phone, each audited for accessibility", async () => {
  for (const [role, email, paths] of [
    ["capo", "procuratore@example.org", ["/", "/calendario", "/relazioni"]],
    ["regione", "funzionario.regione@example.org", ["/", "/relazioni"]],
    ["ministero", "funzionario.ministero@example.org", ["/", "/relazioni"]],
  ] as const) {
    const page = await newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await signIn(page, email);
    for (const path of paths) {
      const res = await visit(page, `${server.base}${path}`);
      expect(res?.status(), `${role} ${path}`).toBe(200);
      await page.screenshot({ path: `${SHOTS}/${role}-390${path === "/" ? "-home" : path.replaceAll("/", "-")}.png`, fullPage: true });
      expect(await accessibilityProblems(page), `${role} ${path}`).toEqual([]);
      expect(await sidewaysOverflow(page), `${role} ${path}`).toBe(0);
    }
    await page.close();
  }
});

it("acts as each role: the head copies a new calendar address, the region files a new version, the ministry downloads a PDF, the administrator invites a user", async () => {
  // The head of office: a new calendar address, shown once, copied with the button (the served script).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, permissions: ["clipboard-read", "clipboard-write"] });
  context.setDefaultTimeout(120_000);
  const head = await context.newPage();
  await signIn(head, "procuratore@example.org");
  await visit(head, `${server.base}/calendario`);
  await head.getByRole("button", { name: "Crea un nuovo indirizzo" }).click();
  const address = await head.getByLabel("Indirizzo del calendario").inputValue();
  expect(address).toMatch(new RegExp(`^${server.base}/ical/[A-Za-z0-9_-]{20,}\\.ics$`));
  await head.getByRole("button", { name: "Copia" }).click();
  await head.getByRole("button", { name: "Copiato" }).waitFor();
  expect(await head.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(address);
  await head.screenshot({ path: `${SHOTS}/capo-390-calendario-nuovo-indirizzo.png`, fullPage: true });
  // Reloading does not show it again.
  await visit(head, `${server.base}/calendario`);
  expect(await head.getByLabel("Indirizzo del calendario").count()).toBe(0);
  await context.close();

  // The region officer: a new version of the region's report, listed with its snapshot and checksum.
  const region = await newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  await signIn(region, "funzionario.regione@example.org");
  await visit(region, `${server.base}/relazioni`);
  await region.getByRole("button", { name: "Genera una nuova versione" }).first().click();
  await region.getByText(/v1: dati al \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/).first().waitFor();
  await region.screenshot({ path: `${SHOTS}/regione-390-relazioni-nuova-versione.png`, fullPage: true });
  expect(await accessibilityProblems(region)).toEqual([]);
  await region.close();

  // The ministry officer: the national report as a PDF download.
  const ministry = await newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(ministry, "funzionario.ministero@example.org");
  await visit(ministry, `${server.base}/relazioni`);
  const [download] = await Promise.all([ministry.waitForEvent("download"), ministry.getByRole("link", { name: "PDF" }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^termini-national-\d{4}-IT-v\d+\.pdf$/);
  await ministry.close();

  // The administrator: an invitation refused with the reason, then accepted and listed.
  const admin = await newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await signIn(admin, "amministratore@example.org");
  await visit(admin, `${server.base}/admin/utenti`);
  await admin.getByLabel("Indirizzo di posta elettronica").fill("nuovo.operatore@example.org");
  await admin.getByLabel(/^Uffici/).fill("ufficio-inesistente");
  await admin.getByRole("button", { name: "Invita" }).click();
  await admin.getByRole("alert").waitFor();
  expect(await admin.getByLabel("Indirizzo di posta elettronica").inputValue()).toBe("nuovo.operatore@example.org");
  await admin.screenshot({ path: `${SHOTS}/admin-1280-invito-rifiutato.png`, fullPage: true });
  expect(await accessibilityProblems(admin)).toEqual([]);
  await admin.getByLabel(/^Uffici/).fill("procura-torino");
  await admin.getByRole("button", { name: "Invita" }).click();
  await admin.getByRole("cell", { name: "nuovo.operatore@example.org", exact: true }).waitFor();
  await admin.close();
});
