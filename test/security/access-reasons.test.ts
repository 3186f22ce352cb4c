/**
 * Art. 21 D.Lgs. 51/2018: every consultation and disclosure of case data is logged with its reason.
 * The routes are enumerated from the app itself: each is either one that reads or discloses case
 * data — and then a call to it must write an audit row with a reason — or is listed, with why, as
 * one that does not. A new route that is neither fails here.
 */
import { env } from "cloudflare:workers";
import { and, desc, eq, gt, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { auditLog, notifications } from "../../src/db/schema.js";
import { webCasePath } from "../../src/lib/case-link.js";
import { sweep } from "../../src/workflows/sweep.js";
import { PROCURA_TOKEN, api, db, idleWorkflows, newRef, record, runningCases } from "../backbone/helpers.js";
import { type Browser, signedIn } from "../web/browser.js";
import { csrfOf } from "../web/csrf.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
let operator: Browser;
let admin: Browser;
let ref: string;
let owner: string;
let messageId: string;
let calendar: string;

beforeAll(async () => {
  spy = await idleWorkflows();
  ref = newRef();
  const started = await record(ref, "suspect.registered", new Date(Date.now() - 3_600_000).toISOString(), { jurisdiction: "TO" });
  owner = "procura-torino";
  expect(started.status).toBe(201);
  // A message sent about a case: a reminder due already, delivered by the sweep (to the outbox).
  const [deadline] = await runningCases(`reasons-${crypto.randomUUID().slice(0, 8)}`, 1, {
    started: Date.now() - 5 * 86_400_000, due: Date.now() + 86_400_000, rungs: [["reminder-2d", "reminder", Date.now() - 60_000]], recipients: ["procura.torino@example.org"],
  });
  await sweep(env, Date.now());
  messageId = `${deadline}.reminder-2d`;
  operator = await signedIn();
  admin = await signedIn("amministratore@example.org");
  const csrf = csrfOf(await (await operator.go("/calendario")).text());
  const html = await (await operator.go("/calendario", { form: { csrf, azione: "crea" } })).text();
  calendar = /\/ical\/[A-Za-z0-9_-]+\.ics/.exec(html)![0];
});
afterAll(async () => { await spy.dispose(); });

const casePage = () => webCasePath(ref, owner);
const apiCase = () => `/api/v1/cases/${encodeURIComponent(ref)}`;

/** Routes that read or disclose case data: a call that does, and the audit action it writes. */
const READS: Record<string, { action: string; call: () => Promise<Response> }> = {
  "GET /": { action: "deadlines.listed", call: () => operator.go("/") },
  "GET /cases/:ref{.+}": { action: "case.read", call: () => operator.go(casePage()) },
  "GET /azioni/:ref{.+}": { action: "case.read", call: async () => operator.go(/href="(\/azioni\/[^"]+)"/.exec(await (await operator.go(casePage())).text())![1]!.replaceAll("&amp;", "&")) },
  "POST /azioni/:ref{.+}": { action: "case.read", call: async () => {
    // The act's preview (no confirmation yet): the case's stages and dates, shown.
    const form = await (await operator.go(/href="(\/azioni\/[^"]+)"/.exec(await (await operator.go(casePage())).text())![1]!.replaceAll("&amp;", "&"))).text();
    const field = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form)![1]!;
    const action = /<form method="post" action="(\/azioni\/[^"]+)"/.exec(form)![1]!.replaceAll("&amp;", "&");
    return operator.go(action, { form: { csrf: field("csrf"), evento: field("evento"), data: field("data"), ora: field("ora") } });
  } },
  "GET /ical/:file": { action: "calendar.read", call: () => operator.go(calendar) },
  "GET /admin": { action: "integrity.read", call: () => admin.go("/admin") },
  "GET /admin/posta": { action: "outbox.read", call: () => admin.go("/admin/posta") },
  "GET /admin/posta/:id": { action: "outbox.read", call: () => admin.go(`/admin/posta/${messageId}`) },
  "GET /admin/posta/:id/html": { action: "outbox.read", call: () => admin.go(`/admin/posta/${messageId}/html`) },
  "GET /admin/registro": { action: "audit.read", call: () => admin.go("/admin/registro?finalita=controllo") },
  "GET /admin/registro/esporta": { action: "audit.exported", call: () => admin.go("/admin/registro/esporta?formato=csv&finalita=sicurezza") },
  "GET /api/v1/cases": { action: "cases.listed", call: () => api("GET", "/api/v1/cases", { token: PROCURA_TOKEN }) },
  "GET /api/v1/cases/:ref{.+}": { action: "case.read", call: () => api("GET", apiCase(), { token: PROCURA_TOKEN }) },
  "GET /api/v1/offices/:id/deadlines": { action: "deadlines.listed", call: () => api("GET", "/api/v1/offices/procura-torino/deadlines", { token: PROCURA_TOKEN }) },
  "GET /api/v1/outbox": { action: "outbox.read", call: () => api("GET", "/api/v1/outbox") },
  "GET /api/v1/integrity": { action: "integrity.read", call: () => api("GET", "/api/v1/integrity") },
  "GET /api/v1/audit-log": { action: "audit.exported", call: () => api("GET", "/api/v1/audit-log?purpose=controllo") },
  "GET /api/v1/subscriptions/:id/events": { action: "subscription.events-read", call: async () => {
    const created = await api("POST", "/api/v1/subscriptions", { body: { office: "procura-torino", url: "http://127.0.0.1:9/log", kinds: ["deadline.opened"] } });
    const { id } = (await created.json()) as { id: string };
    return api("GET", `/api/v1/subscriptions/${id}/events`, { token: PROCURA_TOKEN });
  } },
  "GET /api/v1/reports/:kind/:period": { action: "report.read", call: () => api("GET", "/api/v1/reports/compliance-quarterly/2026-Q1?format=json", { token: PROCURA_TOKEN }) },
};

/** Routes that neither read nor disclose case data, each with why. */
const NOT: Record<string, string> = {
  "GET /accedi": "the sign-in page", "POST /accedi": "asks for a sign-in link", "GET /accedi/link": "confirms a sign-in link",
  "POST /accedi/link": "signs in", "POST /esci": "signs out", "GET /accedi/con/:provider": "starts an OpenID sign-in",
  "GET /accedi/oidc/:provider/callback": "completes an OpenID sign-in", "GET /accedi/oidc/:provider/esci": "leaves the provider's session", "GET /oidc/jwks.json": "Termini's public key",
  "POST /cases/:ref{.+}": "declares a reason; the case is read by the GET that follows (logged there)",
  "GET /calendario": "the calendar address page (no deadlines shown)", "POST /calendario": "creates or revokes the calendar address",
  "GET /relazioni": "aggregated reports, no case", "POST /relazioni": "generates, transmits or withdraws a report (transmission logged with its recipient)",
  "GET /accessibilita": "legal page", "POST /accessibilita": "accessibility feedback", "GET /note-legali": "legal page", "GET /privacy": "legal page",
  "GET /docs": "API reference", "GET /openapi.json": "API contract", "GET /problems/:code": "problem types", "GET /healthz": "liveness",
  "GET /api/v1": "API index", "GET /api/v1/terms": "term arithmetic, no case",
  "POST /api/v1/terms": "405", "PUT /api/v1/terms": "405", "PATCH /api/v1/terms": "405", "DELETE /api/v1/terms": "405", "GET /api/v1/calendars": "closure calendars",
  "GET /api/v1/timelines": "the timeline catalogue", "POST /api/v1/timelines/:id/migrate": "moves running timelines to a new version (logged as timeline.migrated)",
  "POST /api/v1/deadlines/preview": "computes deadlines for events sent with the request; nothing stored is read",
  "POST /api/v1/districts/move": "moves cases between databases (logged as case.moved)",
  "POST /api/v1/integrity/references/:caseId/withdraw": "withdraws a duplicate (logged as case.duplicate-withdrawn)",
  "POST /api/v1/cases": "registers a case: a collection, logged as case.created",
  "POST /api/v1/cases/:ref{.+}/events": "records an event: an alteration, logged as event.recorded",
  "POST /webhooks/events": "records an event sent by an office's system (logged as event.recorded)",
  "GET /api/v1/reports/:kind/:period/versions": "versions' numbers, dates and checksums, no data",
  "POST /api/v1/reports/:kind/:period/generate": "generates a version (logged as report.generated)",
  "POST /api/v1/reports/:kind/:period/submit": "transmits a report: the disclosure is logged with the recipient the law names",
  "POST /api/v1/reports/:kind/:period/withdraw": "withdraws a transmission (logged)",
  "GET /api/v1/subscriptions": "subscriptions, no case", "POST /api/v1/subscriptions": "creates a subscription", "GET /api/v1/subscriptions/:id": "a subscription",
  "PATCH /api/v1/subscriptions/:id": "changes a subscription", "POST /api/v1/subscriptions/:id/rotate": "rotates a secret",
  "GET /api/v1/subscriptions/:id/deliveries": "delivery states and attempts: ids and statuses, no case data",
  "POST /api/v1/subscriptions/:id/test": "a test event with no case", "POST /api/v1/subscriptions/:id/deliveries/:delivery/replay": "re-sends a delivery: the disclosure is logged when the endpoint takes it",
  "POST /webhooks/qstash/relay": "QStash's relay: the disclosure is logged when the endpoint takes it", "POST /webhooks/qstash/callback": "QStash's outcome", "POST /webhooks/qstash/failure": "QStash's outcome",
  "POST /admin/riferimenti/:caseId/ritira": "withdraws a duplicate (logged)",
  "GET /admin/uffici": "the office directory", "GET /admin/uffici/nuovo": "a form", "GET /admin/uffici/:id": "an office", "POST /admin/uffici": "creates an office", "POST /admin/uffici/:id": "changes an office",
  "GET /admin/utenti": "users", "GET /admin/utenti/invita": "a form", "POST /admin/utenti": "invites a user", "POST /admin/utenti/:id": "changes a user",
  "GET /admin/credenziali": "API credentials: names, roles, offices, purposes", "POST /admin/credenziali": "issues a credential (logged)",
  "POST /admin/credenziali/:id/revoca": "revokes a credential (logged)",
  "GET /admin/mittenti": "webhook senders", "POST /admin/mittenti": "creates a sender", "POST /admin/mittenti/:id/ruota": "rotates a sender's secret",
  "GET /admin/webhook": "subscriptions", "GET /admin/webhook/:id": "a subscription's deliveries: ids and statuses, no case data", "POST /admin/webhook": "creates a subscription",
  "POST /admin/webhook/:id/consegne/:delivery/riprova": "re-sends a delivery (disclosure logged when taken)", "POST /admin/webhook/:id/prova": "a test event",
  "POST /admin/webhook/:id/ruota": "rotates a secret", "POST /admin/webhook/:id/stato": "pauses or resumes",
  "POST /admin/webhook/:id/esempio": "a sample event with fictional data", "POST /admin/webhook/:id/indirizzo": "changes the endpoint",
  "POST /api/v1/subscriptions/:id/sample": "a sample event with fictional data",
  "GET /webhook": "the office's subscriptions", "GET /webhook/:id": "a subscription's deliveries: ids, statuses and answers, no case data",
  "POST /webhook/:id/consegne/:delivery/riprova": "re-sends a delivery (disclosure logged when taken)", "POST /webhook/:id/prova": "a test event",
  "POST /webhook/:id/esempio": "a sample event with fictional data", "POST /webhook/:id/indirizzo": "changes the endpoint",
  "POST /webhook/:id/ruota": "rotates a secret", "POST /webhook/:id/stato": "pauses or resumes",
  "GET /assets/bi/*": "static files", "GET /assets/docs.css": "static file", "GET /assets/favicon.svg": "static file", "GET /assets/fonts.css": "static file",
  "GET /assets/termini.css": "static file", "GET /assets/termini.js": "static file", "GET /favicon.ico": "static file",
};

/** Every route the app answers, as "METHOD path" (middleware left out). */
function appRoutes(): string[] {
  return [...new Set(createApp().routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))].sort();
}

describe("every route that reads or discloses case data", () => {
  it("is known here, one way or the other", () => {
    const routes = appRoutes();
    const unknown = routes.filter((r) => !(r in READS) && !(r in NOT));
    expect(unknown, `routes neither in READS nor in NOT (does each read or disclose case data?): ${unknown.join(", ")}`).toEqual([]);
    expect(Object.keys(READS).filter((r) => r in NOT)).toEqual([]);
    // No stale entry: each listed route still exists.
    expect([...Object.keys(READS), ...Object.keys(NOT)].filter((r) => !routes.includes(r))).toEqual([]);
  });

  for (const [route, { action, call }] of Object.entries(READS)) {
    it(`${route} writes ${action} with a reason`, async () => {
      const since = (await db().select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get())?.id ?? 0;
      const res = await call();
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      await res.arrayBuffer();
      const rows = await db().select().from(auditLog).where(and(gt(auditLog.id, since), eq(auditLog.action, action))).all();
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.reason?.length ?? 0, `${action} without a reason`).toBeGreaterThan(5);
    });
  }
});

describe("the reason of a consultation", () => {
  it("comes from the context: the operator's own open deadline", async () => {
    await operator.go(casePage());
    const row = await db().select().from(auditLog).where(and(eq(auditLog.action, "case.read"), eq(auditLog.actor, "user:u-procura"))).orderBy(desc(auditLog.id)).get();
    expect(row!.reason).toMatch(/^gestione della scadenza «.+» dell'ufficio /);
  });

  it("is asked for when there is none (an administrator opening a case by its address), then kept for the session", async () => {
    const ask = await admin.go(casePage());
    const html = await ask.text();
    expect(html).toContain("Motivo della consultazione");
    // Nothing of the case but the number asked for, and no consultation logged.
    expect(html).not.toContain("Valutazione");
    const csrf = csrfOf(html);
    const vague = await admin.go(casePage(), { form: { csrf, motivo: "altro", nota: "" } });
    expect(vague.status).toBe(422);
    expect(await vague.text()).toContain("scriva in poche parole quale");
    const told = await admin.go(casePage(), { form: { csrf, motivo: "assistenza", nota: "ticket 4411 dell'ufficio" } });
    expect(told.status).toBe(303);
    const page = await admin.go(told.headers.get("Location")!);
    expect(await page.text()).toContain(`Procedimento ${ref}`);
    const row = await db().select().from(auditLog).where(and(eq(auditLog.action, "case.read"), eq(auditLog.actor, "user:u-admin"))).orderBy(desc(auditLog.id)).get();
    expect(row!.reason).toBe("dichiarato: assistenza tecnica richiesta da un ufficio — ticket 4411 dell'ufficio");
    // Again in the same session: not asked a second time.
    expect(await (await admin.go(casePage())).text()).not.toContain("Motivo della consultazione");
  });

  it("through the API: the request's header, else the credential's declared purpose", async () => {
    const stated = await api("GET", apiCase(), { token: PROCURA_TOKEN, headers: { "Termini-Access-Reason": encodeURIComponent("richiesta del PM titolare: verifica termini") } });
    expect(stated.status).toBe(200);
    const rows = await db().select().from(auditLog).where(and(eq(auditLog.action, "case.read"), eq(auditLog.actor, "credential:demo-procura"))).orderBy(desc(auditLog.id)).limit(1).all();
    expect(rows[0]!.reason).toBe("dichiarato nella richiesta: richiesta del PM titolare: verifica termini");
    await api("GET", apiCase(), { token: PROCURA_TOKEN });
    const [byToken] = await db().select().from(auditLog).where(and(eq(auditLog.action, "case.read"), eq(auditLog.actor, "credential:demo-procura"))).orderBy(desc(auditLog.id)).limit(1).all();
    expect(byToken!.reason).toMatch(/^finalità della credenziale: gestione delle scadenze/);
    const bad = await api("GET", apiCase(), { token: PROCURA_TOKEN, headers: { "Termini-Access-Reason": "x" } });
    expect(bad.status).toBe(400);
  });
});

describe("what Termini itself discloses", () => {
  it("each email: the addresses, the case, the message and why", async () => {
    const [row] = await db().select().from(auditLog).where(and(eq(auditLog.action, "notification.sent"), isNotNull(auditLog.caseId))).orderBy(desc(auditLog.id)).limit(1).all();
    expect(row!.reason).toBe("promemoria della scadenza all'ufficio che deve provvedere");
    expect(row!.detail).toMatchObject({ notificationId: messageId, recipients: ["procura.torino@example.org"] });
    const [n] = await db().select().from(notifications).where(eq(notifications.id, messageId)).all();
    expect(n!.status).toBe("sent");
  });
});
