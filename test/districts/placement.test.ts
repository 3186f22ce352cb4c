/**
 * A case lives in its owner office's district, whatever the caller says
 * (security review: a Turin caller opened a Turin case in Milan's database
 * with `?district=MI`, and Turin's own staff then could not find it).
 * Every entry point that can route a case is tried with a hint naming a
 * district the caller does not act in: refused, nothing written anywhere.
 * Where the caller does act everywhere (an administrator), the invariant
 * itself refuses a case whose owner is of another district.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertCase } from "../../src/db/cases.js";
import { database } from "../../src/db/client.js";
import { retention } from "../../src/workflows/retention.js";
import { api, casePath, newRef, postWebhook, ago } from "../backbone/helpers.js";
import { pageText, signedIn } from "../web/browser.js";
import { caseD1s, count, idleInEveryDatabase } from "./helpers.js";

const TORINO_TOKEN = "termini-local-procura-token";

idleInEveryDatabase();

/** Rows anywhere for this reference: cases and events, in every database of the layout. */
const written = async (ref: string) => {
  let n = 0;
  for (const d1 of caseD1s()) {
    n += await count(d1, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref);
    n += await count(d1, "SELECT count(*) AS n FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = ?", ref);
  }
  return n;
};

const registration = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => (ref: string) =>
  ({ type: "suspect.registered", caseRef: ref, occurredAt: ago(3_600_000), data, ...extra });

/** Each entry point, driven by Turin's Procura (its token, its sender's signature, its user), with a hint naming Milan. */
const FOREIGN_HINTS: [string, (ref: string) => Promise<Response>][] = [
  ["webhook, caseOffice of another district", (ref) => postWebhook(registration({}, { caseOffice: "procura-milano" })(ref))],
  ["webhook, data.jurisdiction of another district", (ref) => postWebhook(registration({ jurisdiction: "MI" })(ref))],
  ["webhook, data.offices of another district", (ref) => postWebhook(registration({ offices: { procura: "procura-milano" } })(ref))],
  ["staff API, ?district= another district", (ref) => api("POST", `${casePath(ref)}/events?district=MI`, { token: TORINO_TOKEN, body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: {} } })],
  ["staff API, ?office= another district's office", (ref) => api("POST", `${casePath(ref)}/events?office=procura-milano`, { token: TORINO_TOKEN, body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: {} } })],
  ["staff API, data.jurisdiction of another district", (ref) => api("POST", `${casePath(ref)}/events`, { token: TORINO_TOKEN, body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: { jurisdiction: "MI" } } })],
  ["staff API, data.offices of another district", (ref) => api("POST", `${casePath(ref)}/events`, { token: TORINO_TOKEN, body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: { offices: { procura: "procura-milano" } } } })],
  ["staff API, a case read with ?district= another district", (ref) => api("GET", `${casePath(ref)}?district=MI`, { token: TORINO_TOKEN })],
];

describe("a hint naming a district the caller does not act in", () => {
  for (const [entry, send] of FOREIGN_HINTS) {
    it(`is refused with 403 and writes nothing: ${entry}`, async () => {
      const ref = newRef();
      const res = await send(ref);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("forbidden");
      expect(await written(ref)).toBe(0);
    });
  }

  it("is refused on the web too: a Turin clerk's action and case page naming Milan's district", async () => {
    const ref = newRef();
    expect((await postWebhook(registration({ jurisdiction: "TO" })(ref))).status).toBe(201);
    const b = await signedIn("operatore.procura@example.org");
    const page = await b.go(`/cases/${encodeURIComponent(ref)}?distretto=MI`);
    expect(page.status).toBe(403);
    const csrf = await b.csrf(`/cases/${encodeURIComponent(ref)}?ufficio=procura-torino`);
    const act = await b.go(`/azioni/${encodeURIComponent(ref)}?distretto=MI`, { form: { csrf, evento: "measures.not-requested", momento: "adesso" } });
    expect(act.status).toBe(403);
    // The case is where it belongs and still open: nothing was recorded.
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = ?", ref)).toBe(1);
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(0);
  });

  it("lets the caller's own district through, and the case is found there by its own offices", async () => {
    const ref = newRef();
    const res = await api("POST", `${casePath(ref)}/events?district=TO`, { token: TORINO_TOKEN, body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: {} } });
    expect(res.status).toBe(201);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(1);
    expect((await api("GET", casePath(ref), { token: TORINO_TOKEN })).status).toBe(200);
  });
});

describe("the invariant, where a case is first written", () => {
  it("refuses an administrator's event that would put a Turin office's case in Milan's database (422, nothing written)", async () => {
    const ref = newRef();
    const res = await api("POST", `${casePath(ref)}/events?district=MI`, {
      body: { type: "suspect.registered", occurredAt: ago(3_600_000), data: { offices: { procura: "procura-torino", gip: "gip-torino" } } },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe("wrong_district");
    expect(await written(ref)).toBe(0);
  });

  it("puts a case an administrator creates in its owner's district", async () => {
    const ref = newRef();
    const res = await api("POST", "/api/v1/cases", { body: { ref, offices: { procura: "procura-milano" } } });
    expect(res.status).toBe(201);
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)).toBe(1);
  });

  it("is the one way a case row is written: another district's database refuses it", () => {
    const milan = database(env.DISTRICT_MI, "MI");
    expect(() => insertCase(milan, { id: "procura-torino", jurisdiction: "TO" }, { id: crypto.randomUUID(), ref: "1/2026", createdAt: 0, createdBy: "test", lastActivityAt: 0 }))
      .toThrow(expect.objectContaining({ code: "wrong_district" }));
    // The single-database layout names no district: nothing to check there.
    expect(() => insertCase(database(env.DB, null), { id: "procura-torino", jurisdiction: "TO" }, { id: "x", ref: "1/2026", createdAt: 0, createdBy: "test", lastActivityAt: 0 })).not.toThrow();
  });
});

describe("a case found outside its owner's district", () => {
  it("is reported to administrators (API, administration page) and logged by the daily job", async () => {
    // As a path before the fix could leave it: Turin's case in Milan's database.
    const ref = newRef();
    const id = crypto.randomUUID();
    await env.DISTRICT_MI.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES (?, ?, 'procura-torino', ?, 'test', ?)")
      .bind(id, ref, Date.now(), Date.now()).run();
    try {
      const check = await api("GET", "/api/v1/integrity");
      expect(check.status).toBe(200);
      expect(((await check.json()) as { misplaced: unknown[] }).misplaced).toEqual([{ ref, office: "procura-torino", district: "MI", belongsTo: "TO" }]);
      expect((await api("GET", "/api/v1/integrity", { token: TORINO_TOKEN })).status).toBe(403);
      const admin = await signedIn("amministratore@example.org");
      const page = pageText(await (await admin.go("/admin")).text());
      expect(page).toContain("Un procedimento è conservato fuori dal distretto dell'ufficio titolare");
      expect(page).toContain(`${ref} (procura-torino): nel distretto MI, appartiene al distretto TO`);
      const logged: string[] = [];
      const error = console.error;
      console.error = (line: string) => logged.push(line);
      try {
        await retention(env, Date.now());
      } finally {
        console.error = error;
      }
      expect(logged.map((l) => JSON.parse(l) as { action: string; cases?: number })).toContainEqual({ level: "error", action: "districts.misplaced", cases: 1, districts: ["MI"] });
    } finally {
      await env.DISTRICT_MI.prepare("DELETE FROM cases WHERE id = ?").bind(id).run();
    }
    expect(((await (await api("GET", "/api/v1/integrity")).json()) as { misplaced: unknown[] }).misplaced).toEqual([]);
  });

  it("cannot come from the directory: an office that owns cases keeps its district", async () => {
    const ref = newRef();
    expect((await api("POST", "/api/v1/cases", { body: { ref, offices: { procura: "procura-milano" } } })).status).toBe(201);
    const admin = await signedIn("amministratore@example.org");
    const path = "/admin/uffici/procura-milano";
    const html = await (await admin.go(path)).text();
    const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? "";
    const form = Object.fromEntries(["tipo", "nome", "calendario", "indirizzi", "riserva", "superiore", "regione"].map((k) => [k, value(k)]));
    const res = await admin.go(path, { form: { ...form, nome: form.nome!.replaceAll("&#39;", "'"), csrf: await admin.csrf(path), distretto: "TO" } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("il distretto non può cambiare finché li ha");
    expect(await count(env.DB, "SELECT count(*) AS n FROM offices WHERE id = 'procura-milano' AND jurisdiction = 'MI'")).toBe(1);
  });
});
