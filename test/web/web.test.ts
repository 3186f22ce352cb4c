/**
 * The staff web app through HTTP: sign-in by a one-time link from the
 * outbox, the session cookie, CSRF, the dashboard, the case page and its
 * confirmed action that stops the reminders.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest.js";
import { mailOutbox, notifications, signInLinks } from "../../src/db/schema.js";
import { exports } from "cloudflare:workers";
import { db, idleWorkflows, newRef, record } from "../backbone/helpers.js";
import { Browser, EMAIL, signedIn, waitForMail } from "./browser.js";
import { csrfOf } from "./csrf.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => { spy = await idleWorkflows(); });
afterAll(async () => { await spy.dispose(); });

describe("sign-in", () => {
  it("sends a one-time link, opens a session in a Secure, HttpOnly, SameSite cookie, and refuses the link a second time", async () => {
    const b = new Browser();
    expect((await b.go("/")).headers.get("Location")).toBe("/accedi?dopo=%2F");
    const csrf = await b.csrf("/accedi");
    await b.go("/accedi", { form: { csrf, email: EMAIL, dopo: "/" } });
    const [mail] = await waitForMail((m) => m.recipients.includes(EMAIL), 1);
    expect(mail!.recipients).toEqual([EMAIL]);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    const confirm = await b.csrf(`/accedi/link?token=${token}`);
    const res = await b.go("/accedi/link", { form: { csrf: confirm, token, dopo: "/" } });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("termini_session="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Lax");
    expect((await b.go("/")).status).toBe(200);
    const again = new Browser();
    const c2 = await again.csrf(`/accedi/link?token=${token}`);
    expect((await again.go("/accedi/link", { form: { csrf: c2, token, dopo: "/" } })).status).toBe(400);
  });

  it("answers the same for an unknown address and sends nothing", async () => {
    const b = new Browser();
    const before = (await db().select().from(mailOutbox).all()).length;
    const csrf = await b.csrf("/accedi");
    const res = await b.go("/accedi", { form: { csrf, email: "nessuno@example.org" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("riceverà a breve un link di accesso");
    expect((await db().select().from(mailOutbox).all()).length).toBe(before);
  });

  it("refuses a form without its CSRF token and an expired link", async () => {
    const b = new Browser();
    await b.csrf("/accedi");
    expect((await b.go("/accedi", { form: { csrf: "forged-token-forged-token", email: EMAIL } })).status).toBe(403);
    const expired = "expired-link-token-0000000000000000";
    await db().insert(signInLinks).values({ tokenHash: await sha256Hex(expired), userId: "u-admin", createdAt: 0, expiresAt: Date.now() - 1 }).run();
    const c = await b.csrf(`/accedi/link?token=${expired}`);
    expect((await b.go("/accedi/link", { form: { csrf: c, token: expired } })).status).toBe(400);
  });

  it("limits sign-in requests per client address, whatever the addresses", async () => {
    const b = new Browser();
    const csrf = await b.csrf("/accedi");
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await exports.default.fetch("https://termini.test/accedi", {
        method: "POST", redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://termini.test", Cookie: `termini_csrf=${csrf}`, "CF-Connecting-IP": "203.0.113.7" },
        body: new URLSearchParams({ csrf, email: `sconosciuto${i}@example.org` }).toString(),
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe("the dashboard and the case page", () => {
  it("lists the office's open deadlines with the overdue marked, and records a closing event after confirmation", async () => {
    const ref = newRef();
    // Registered 40 days ago: overdue whatever holidays extend the 30 days by.
    const started = await record(ref, "suspect.registered", new Date(Date.now() - 40 * 86_400_000).toISOString(), { jurisdiction: "TO" });
    const instanceId = started.body.timelines[0]!.instanceId;
    const b = await signedIn();
    const page = await (await b.go("/")).text();
    expect(page).toContain(ref);
    expect(page).toMatch(/class="badge bg-danger">Scaduta/);

    const casePath = `/cases/${encodeURIComponent(ref)}`;
    const view = await (await b.go(casePath)).text();
    expect(view).toContain("Perché questa data");
    expect(view).toContain("Art. 172 co. 4 c.p.p.");
    const actionPath = `/azioni/${encodeURIComponent(ref)}?ufficio=procura-torino`;
    const confirmPath = `${actionPath}&evento=measures.not-requested`;
    expect(view).toContain(confirmPath.replace("&", "&amp;"));
    const first = await (await b.go(confirmPath)).text();
    expect(first).toContain("Continua");
    const csrf = csrfOf(first);
    const when = { data: /name="data"[^>]*value="([^"]+)"/.exec(first)![1]!, ora: /name="ora"[^>]*value="([^"]+)"/.exec(first)![1]! };
    expect((await b.go(actionPath, { form: { csrf: "wrong-wrong-wrong-wrong", evento: "measures.not-requested", ...when } })).status).toBe(403);
    const html = await (await b.go(actionPath, { form: { csrf, evento: "measures.not-requested", ...when } })).text();
    expect(html).toContain("Conferma e registra");
    const chiave = /name="chiave" value="([^"]+)"/.exec(html)![1]!;
    const done = await b.go(actionPath, { form: { csrf, evento: "measures.not-requested", ...when, conferma: "1", chiave } });
    expect(done.status).toBe(303);
    const rows = await db().select().from(notifications).where(eq(notifications.instanceId, instanceId)).all();
    expect(rows.filter((n) => n.status === "scheduled")).toEqual([]);
    expect(await (await b.go(`${casePath}?registrato=measures.not-requested`)).text()).toContain("Azione registrata");
  });

  it("shows a head of office the deadlines of the offices below", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", new Date(Date.now() - 86_400_000).toISOString(), { jurisdiction: "TO" });
    // The demo directory's head of office: the Procuratore, above the Procura's group.
    const head = await signedIn("procuratore@example.org");
    expect(await (await head.go("/")).text()).toContain(ref);
    expect((await head.go(`/cases/${encodeURIComponent(ref)}`)).status).toBe(200);
  });

  it("keeps a case from users of other offices (404), and ends the session on sign-out", async () => {
    const ref = newRef();
    // A Prefettura's case (the indemnity claim): nothing to do with the signed-in Procura.
    await record(ref, "decision.final", new Date(Date.now() - 3_600_000).toISOString(), { jurisdiction: "TO" });
    const b = await signedIn();
    // Not visible is answered like absent.
    expect((await b.go(`/cases/${encodeURIComponent(ref)}`)).status).toBe(404);
    const csrf = csrfOf(await (await b.go("/")).text());
    expect((await b.go("/esci", { form: { csrf } })).status).toBe(303);
    expect((await b.go("/")).status).toBe(303);
  });
});
