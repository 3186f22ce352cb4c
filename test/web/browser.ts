/** A minimal browser for HTTP tests: cookies kept between requests, forms posted. */
import { exports } from "cloudflare:workers";
import { desc } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { mailOutbox } from "../../src/db/schema.js";
import type { Bindings } from "../../src/env.js";
import { db, fetchWith } from "../backbone/helpers.js";
import { csrfOf } from "./csrf.js";

export const EMAIL = "operatore.procura@example.org";

export class Browser {
  cookies = new Map<string, string>();
  /** With settings, the app runs under them (fetchWith, at http://termini.test); else the Worker as configured. `ip`: the client address Cloudflare would name. */
  constructor(readonly settings?: Partial<Bindings>, readonly ip?: string) {}
  /** A form field given as an array is sent once per value, as checkboxes are. */
  async go(path: string, init: { method?: string; form?: Record<string, string | string[]> } = {}): Promise<Response> {
    const headers: Record<string, string> = { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "), ...(this.ip === undefined ? {} : { "CF-Connecting-IP": this.ip }) };
    let body: string | undefined;
    if (init.form) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      // As a browser does for every form it submits.
      headers.Origin = this.settings === undefined ? "https://termini.test" : "http://termini.test";
      body = new URLSearchParams(Object.entries(init.form).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, x]))).toString();
    }
    const req = { method: init.method ?? (init.form ? "POST" : "GET"), headers, body, redirect: "manual" as const };
    const res = this.settings === undefined ? await exports.default.fetch(`https://termini.test${path}`, req) : await fetchWith(this.settings, path, req);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      if (v === "") this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return res;
  }
  async csrf(path: string): Promise<string> {
    const html = await (await this.go(path)).text();
    return csrfOf(html);
  }
}

type Mail = typeof mailOutbox.$inferSelect;

/**
 * The sign-in mail is sent after the answer (so that its timing tells
 * nothing): waits, within a wide margin, until `count` messages match.
 * Newest first.
 */
export async function waitForMail(match: (m: Mail) => boolean, count: number): Promise<Mail[]> {
  for (let i = 0; ; i++) {
    const found = (await db().select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).all()).filter(match);
    if (found.length >= count) return found;
    if (i >= 300) throw new Error(`${found.length} of ${count} messages after 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function signedIn(email = EMAIL): Promise<Browser> {
  const b = new Browser();
  const csrf = await b.csrf("/accedi");
  const before = (await db().select().from(mailOutbox).all()).filter((m) => m.recipients.includes(email)).length;
  expect((await b.go("/accedi", { form: { csrf, email, dopo: "/" } })).status).toBe(200);
  const [mail] = await waitForMail((m) => m.recipients.includes(email), before + 1);
  const link = /https?:\/\/[^\s]+\/accedi\/link\?token=[^\s]+/.exec(mail!.text)![0];
  const path = link.replace(/^https?:\/\/[^/]+/, "");
  const confirm = await b.csrf(path);
  const token = new URL(link).searchParams.get("token")!;
  const res = await b.go("/accedi/link", { form: { csrf: confirm, token, dopo: "/" } });
  expect(res.status).toBe(303);
  return b;
}

/** A page's visible text, tags dropped and spaces folded, apostrophes unescaped: what a reader sees. */
export const pageText = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/\s+/g, " ");

/**
 * One session for a test file (sign-in requests are limited per address), with the
 * workflows held idle so that the sweep delivers at the instants the test picks.
 */
export function sessionForFile(email?: string): { browser: () => Browser } {
  let spy: { dispose(): Promise<void> } | undefined;
  let b: Browser | undefined;
  beforeAll(async () => {
    const { idleWorkflows } = await import("../backbone/helpers.js");
    spy = await idleWorkflows();
    b = await signedIn(email);
  });
  afterAll(async () => { await spy?.dispose(); });
  return { browser: () => b! };
}
