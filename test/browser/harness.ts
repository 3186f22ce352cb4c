/**
 * What every browser test shares: Chromium (Debian's, driven by playwright-core) against the one
 * `wrangler dev` of the run, pages whose waits allow two minutes (shared CI machines), sign-in
 * through the link in the outbox, and `capture`: each page a role visits, saved as a screenshot on
 * a phone and on a desktop under artifacts/screenshots/<role>/, audited by axe-core and for
 * sideways scrolling at both sizes.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, beforeEach, expect, inject, onTestFailed } from "vitest";

export const base = inject("browserBase");
export const ADMIN = { Authorization: "Bearer termini-local-demo-token" };
const SHOTS = "artifacts/screenshots";
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let browser: Browser | undefined;
/** Requests a page started and that have not finished, with when they started: what a failure prints. */
const pending = new Map<string, number>();
let requests = 0;

/** The file's Chromium, closed after it; a failure prints what never finished and whether the server answers. */
export function useBrowser(): void {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Italian, as the offices' browsers are: date fields read gg/mm/aaaa and a 24-hour clock.
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=it-IT"],
      env: { ...process.env, LANG: "it_IT.UTF-8", LANGUAGE: "it_IT:it" },
    });
  });
  beforeEach(() => {
    onTestFailed(async () => console.error(`[browser] ${await diagnosis()}`));
  });
  afterAll(async () => {
    await browser?.close();
  });
}

async function diagnosis(): Promise<string> {
  const started = Date.now();
  const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => `answers ${r.status}`, (e: Error) => `does not answer (${e.name})`);
  const open = [...pending].map(([k, t]) => `${k} (${Math.round((Date.now() - t) / 1000)} s)`);
  return `wrangler dev on ${base}: /healthz ${health} in ${Date.now() - started} ms; requests not finished: ${open.join(", ") || "none"}`;
}

/**
 * A page in a context of its own. The audit injects axe-core as a script, which the page's own
 * policy (no inline script) rightly refuses: bypassCSP for the pages that are audited.
 */
export async function newPage(options: Parameters<Browser["newContext"]>[0] = {}): Promise<Page> {
  // An Italian browser, as the offices' are: dates in forms read gg/mm/aaaa.
  const context = await browser!.newContext({ viewport: PHONE, bypassCSP: true, locale: "it-IT", timezoneId: "Europe/Rome", ...options });
  context.setDefaultTimeout(120_000);
  const page = await context.newPage();
  const key = (r: import("playwright-core").Request) => `${r.method()} ${r.url()} #${(r as unknown as { _n?: number })._n ??= ++requests}`;
  page.on("request", (r) => pending.set(key(r), Date.now()));
  page.on("requestfinished", (r) => pending.delete(key(r)));
  page.on("requestfailed", (r) => pending.delete(key(r)));
  return page;
}

/**
 * A navigation, tried again once if it times out. Under wrangler dev a page load on a loaded
 * machine has, rarely, had a stylesheet request that never finished while the server answered
 * everything else at once (the diagnosis printed); one hung request of the dev server is not what
 * these tests are about, so the second attempt decides — and the first one is logged.
 */
export async function visit(page: Page, url: string) {
  const to = url.startsWith("http") ? url : `${base}${url}`;
  try {
    return await page.goto(to, { timeout: 60_000 });
  } catch (e) {
    if (!(e instanceof Error) || e.name !== "TimeoutError") throw e;
    console.error(`[browser] ${to} timed out once; ${await diagnosis()}`);
    return page.goto(to);
  }
}

/** axe-core's audit of the page as rendered: serious or critical violations, by rule. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    // Runs in the page: its globals, not Node's.
    const g = globalThis as unknown as { document: unknown; axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    return g.axe.run(g.document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] } });
  });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** How far the page is wider than its viewport (0: nothing to scroll sideways). */
async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
}

/**
 * The page as it is now, on a phone and on a desktop: a screenshot of each at
 * artifacts/screenshots/<role>/<name>-<width>.png, no axe violation, no sideways scrolling.
 * The page is left at the size it had.
 */
export async function capture(page: Page, role: string, name: string): Promise<void> {
  mkdirSync(`${SHOTS}/${role}`, { recursive: true });
  const was = page.viewportSize() ?? PHONE;
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}/${role}/${name}-${size.width}.png`, fullPage: true });
    expect(await accessibilityProblems(page), `${role}/${name} at ${size.width}px`).toEqual([]);
    expect(await sidewaysOverflow(page), `${role}/${name} at ${size.width}px`).toBe(0);
  }
  await page.setViewportSize(was);
}

/** The newest sign-in link the outbox holds for this address, once it is there (generously bounded). */
async function linkFor(email: string): Promise<string> {
  for (const until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
    const outbox = (await (await fetch(`${base}/api/v1/outbox`, { headers: ADMIN })).json()) as { mail: { to: string[]; text: string }[] };
    const link = outbox.mail.filter((m) => m.to.includes(email)).map((m) => /http:\/\/localhost:\d+\/accedi\/link\?[^\s]+/.exec(m.text)?.[0]).find((l) => l !== undefined);
    if (link !== undefined) return link;
    if (Date.now() > until) throw new Error(`no sign-in link for ${email} in the outbox`);
  }
}

/** Signs in through the link the outbox holds for this address; `shots`: the role whose screenshots these steps are. */
export async function signIn(page: Page, email: string, shots?: string): Promise<void> {
  await visit(page, "/accedi");
  if (shots !== undefined) await capture(page, shots, "01-accesso");
  await page.getByLabel("Indirizzo di posta elettronica").fill(email);
  await page.getByRole("button", { name: "Invia il link di accesso" }).click();
  await page.getByText("riceverà a breve un link").waitFor();
  if (shots !== undefined) await capture(page, shots, "02-link-inviato");
  await visit(page, await linkFor(email));
  await page.getByRole("button", { name: "Accedi a Termini" }).click();
  // Region and ministry officers land on their reports.
  await page.waitForURL(new RegExp(`^${base}/(relazioni)?$`));
}

/** An event through the staff API (the administrator's demo token); its answer's status. */
export async function record(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}): Promise<number> {
  const res = await fetch(`${base}/api/v1/cases/${encodeURIComponent(ref)}/events`, {
    method: "POST", headers: { ...ADMIN, "Content-Type": "application/json" }, body: JSON.stringify({ type, occurredAt, data }),
  });
  const body = await res.text();
  if (res.status >= 400) console.error(`[browser] ${type} for ${ref} answered ${res.status}: ${body}`);
  return res.status;
}

/** The five-minute cron, once (sweep: messages due are sent, lapses recorded). */
export async function cron(): Promise<void> {
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

/** A register number no other test of the run uses. */
let serial = 0;
export const freshRef = (): string => `${9_000_000 + ((Date.now() + ++serial * 997) % 900_000)}/2026`;

export const daysAgo = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString();
