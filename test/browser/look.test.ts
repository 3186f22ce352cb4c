/**
 * The pages under their own security policy: Bootstrap Italia and its fonts come from the Worker,
 * nothing is refused and nothing is fetched from elsewhere; the footer's pages open without signing in.
 */
import { expect, it } from "vitest";
import { base, capture, newPage, useBrowser, visit } from "./harness.js";

useBrowser();

it("renders under its own security policy: Bootstrap Italia and its fonts come from the Worker, and nothing is refused", async () => {
  // Not bypassing the policy here: it is what is tested.
  const page = await newPage({ bypassCSP: false });
  const refused: string[] = [];
  const elsewhere: string[] = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) refused.push(m.text()); });
  page.on("request", (r) => { if (new URL(r.url()).origin !== base) elsewhere.push(r.url()); });
  await visit(page, "/accedi");
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
});

it("opens the footer's pages to anyone: accessibility declaration, privacy, legal notes", async () => {
  const page = await newPage();
  for (const [path, name] of [["/accessibilita", "01-dichiarazione-accessibilita"], ["/privacy", "02-privacy"], ["/note-legali", "03-note-legali"]] as const) {
    expect((await visit(page, path))?.status(), path).toBe(200);
    await capture(page, "pubblico", name);
  }
});
