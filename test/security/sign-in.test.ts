/**
 * Sign-in reveals nothing and cannot be used to lock people out: the same
 * answer after the same work whatever the address, links not resent past
 * the limit but still valid, client addresses keyed with a deployment
 * secret and purged, and outbox mode only where it is clearly local.
 */
import { exports } from "cloudflare:workers";
import { env } from "cloudflare:workers";
import { and, desc, eq, gt, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hmacHex, sha256Hex } from "../../src/lib/digest.js";
import { auditLog, mailOutbox, signInLinks, signInRequests, users } from "../../src/db/schema.js";
import type { Bindings } from "../../src/env.js";
import { RATE_LIMIT, purgeSignIn } from "../../src/web/signin.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, fetchWith, idleWorkflows, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { Browser, waitForMail } from "../web/browser.js";

const KNOWN = "amministratore@example.org";
const PRODUCTION = { APP_BASE_URL: "https://termini.giustizia.example", RESEND_API_KEY: "re_prod", RATE_LIMIT_KEY: "k".repeat(40) };

/** A sign-in request as a browser would send it, from a given client address. */
async function ask(email: string, settings: Partial<Bindings> | null = null, ip = "198.51.100.9"): Promise<Response> {
  const csrf = "csrf-token-for-the-sign-in-tests-0001";
  const init = {
    method: "POST", redirect: "manual" as const,
    // The page's own origin, as a browser sends it (fetchWith serves http://termini.test).
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: settings === null ? "https://termini.test" : "http://termini.test", Cookie: `termini_csrf=${csrf}`, "CF-Connecting-IP": ip, "X-D1-Meter": "1" },
    body: new URLSearchParams({ csrf, email, dopo: "/" }).toString(),
  };
  return settings === null ? exports.default.fetch("https://termini.test/accedi", init) : fetchWith(settings, "/accedi", init);
}

afterEach(() => { vi.restoreAllMocks(); });

describe("the answer", () => {
  it("is the same, after the same database work, for a registered address and an unknown one", async () => {
    const metered = { D1_METER: "1" } as Partial<Bindings>;
    const known = await ask(KNOWN, metered, "198.51.100.1");
    const unknown = await ask("nessuno@example.org", metered, "198.51.100.2");
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(await known.text()).toBe(await unknown.text());
    for (const h of ["X-D1-Queries", "X-D1-Rows-Written"]) expect(known.headers.get(h), h).toBe(unknown.headers.get(h));
  });

  it("re-shows the form with what was typed and an Italian reason next to the field for a malformed address", async () => {
    for (const [typed, reason] of [["", "Inserisca l&#39;indirizzo"], ["operatore.senza.dominio@", "L&#39;indirizzo non è valido"]] as const) {
      const res = await ask(typed, null, "198.51.100.3");
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`aria-describedby="email-errore"[^>]*value="${typed}"|value="${typed}"[^>]*aria-describedby="email-errore"|id="email"[^>]*is-invalid`));
      expect(html).toMatch(new RegExp(`id="email-errore"[^>]*role="alert">${reason}`));
    }
  });

  it("never says 429 for an address asked for too often, sends at most the limit, and every link sent still signs in", async () => {
    const email = "operatore.procura@example.org";
    const before = (await db().select().from(mailOutbox).all()).filter((m) => m.recipients.includes(email)).length;
    const since = (await db().select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get())?.id ?? 0;
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 4; i++) statuses.push((await ask(email, null, `198.51.100.${20 + i}`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const mails = await waitForMail((m) => m.recipients.includes(email), before + RATE_LIMIT);
    // Every request has been handled to its end (its last act is logged: the link sent, or not sent again)
    // before the absence of any further email is asserted.
    await vi.waitFor(async () => expect(await handled(email, since)).toBe(RATE_LIMIT + 4), { timeout: 30_000, interval: 50 });
    expect((await db().select().from(mailOutbox).all()).filter((m) => m.recipients.includes(email))).toHaveLength(before + RATE_LIMIT);

    // The first link of the window, not the last, still opens a session.
    const first = mails[mails.length - RATE_LIMIT]!;
    const token = /token=([A-Za-z0-9_-]+)/.exec(first.text)![1]!;
    const b = new Browser();
    const confirm = await b.csrf(`/accedi/link?token=${token}`);
    expect((await b.go("/accedi/link", { form: { csrf: confirm, token, dopo: "/" } })).status).toBe(303);
  });
});

/** How many sign-in requests for this address have ended since audit row `since`: a link sent, or one not sent again. */
async function handled(email: string, since: number): Promise<number> {
  const user = await db().select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  const rows = await db().select({ action: auditLog.action }).from(auditLog)
    .where(and(gt(auditLog.id, since), eq(auditLog.actor, `user:${user!.id}`), inArray(auditLog.action, ["signin.link-sent", "signin.not-resent"]))).all();
  return rows.length;
}

describe("client addresses", () => {
  it("are stored as an HMAC under the deployment's key, never as a plain digest anyone can reverse", async () => {
    await ask("nessuno@example.org", PRODUCTION, "203.0.113.77");
    const rows = await db().select().from(signInRequests).all();
    const keyed = await hmacHex(PRODUCTION.RATE_LIMIT_KEY, "client:203.0.113.77");
    expect(rows.map((r) => r.clientHash)).toContain(keyed);
    expect(rows.map((r) => r.clientHash)).not.toContain(await sha256Hex("client:203.0.113.77"));
  });

  it("are purged with the links once past their window", async () => {
    const now = Date.now();
    await db().insert(signInRequests).values({ clientHash: "old", at: now - 3_600_000 }).run();
    await db().insert(signInLinks).values({ tokenHash: "old-link", userId: "u-admin", createdAt: now - 3 * 86_400_000, expiresAt: now - 2 * 86_400_000 }).run();
    await purgeSignIn(env, now);
    expect(await db().select().from(signInRequests).where(eq(signInRequests.clientHash, "old")).all()).toEqual([]);
    expect(await db().select().from(signInLinks).where(eq(signInLinks.tokenHash, "old-link")).all()).toEqual([]);
  });
});

describe("outbox mode", () => {
  it("is refused anywhere but locally: the service answers 503 and serves nothing", async () => {
    const res = await fetchWith({ APP_BASE_URL: "https://termini.giustizia.example" }, "/healthz");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe("service_misconfigured");
    expect((await fetchWith({ ...PRODUCTION, RATE_LIMIT_KEY: "" }, "/healthz")).status).toBe(503);
    expect((await fetchWith(PRODUCTION, "/healthz")).status).toBe(200);
  });

  it("shows no sign-in link in the outbox API outside local development", async () => {
    const res = await fetchWith(PRODUCTION, "/api/v1/outbox", { headers: { Authorization: "Bearer termini-local-demo-token" } });
    expect(((await res.json()) as { mail: unknown[] }).mail).toEqual([]);
  });

  it("logs no recipient address, for a sign-in link or a deadline notification", async () => {
    const spy = await idleWorkflows();
    const log = vi.spyOn(console, "log");
    await ask(KNOWN, null, "198.51.100.99");
    await waitForMail((m) => m.recipients.includes(KNOWN), 1);
    // A registration of 2 March 2026: its 7-day reminder is due on 25 March.
    expect((await postWebhook(registration(newRef(), "2026-03-02T10:15:00+01:00"))).status).toBe(201);
    expect((await sweep(env, Date.parse("2026-03-25T09:00:00+01:00"))).sent).toBeGreaterThan(0);
    // Both messages logged (the link's and the reminder's), then every line read for an address.
    const outboxLines = () => log.mock.calls.map((c) => c.join(" ")).filter((l) => l.includes("[outbox]"));
    await vi.waitFor(() => expect(outboxLines().length).toBeGreaterThanOrEqual(2), { timeout: 30_000, interval: 50 });
    const lines = log.mock.calls.map((c) => c.join(" "));
    expect(lines.filter((l) => l.includes("@"))).toEqual([]);
    log.mockRestore();
    await spy.dispose();
  });
});
