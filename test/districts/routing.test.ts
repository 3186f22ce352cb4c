/**
 * The district layout of wrangler.jsonc: Turin's and Milan's cases each in
 * their own D1 database, the directory and users in the central one. Every
 * path that reads or writes case data must reach the right database, and no
 * case row may land anywhere else.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { countersAcross } from "../../src/db/counters.js";
import { database } from "../../src/db/client.js";
import { replicateDirectory } from "../../src/db/replicate.js";
import { sweep } from "../../src/workflows/sweep.js";
import { retention } from "../../src/workflows/retention.js";
import { ADMIN_TOKEN, MILANO_SECRET, DAY, ago, api, casePath, fetchWith, newRef, postWebhook } from "../backbone/helpers.js";
import { count, idleInEveryDatabase } from "./helpers.js";

const MILANO_TOKEN = "termini-local-procura-milano-token";
const TORINO_TOKEN = "termini-local-procura-token";
const MINISTRY = "termini-local-ministero-token";

const dbs = () => ({ central: env.DB, TO: env.DISTRICT_TO, MI: env.DISTRICT_MI });
/** Where a reference's case rows are: one count per database. */
const whereIs = async (ref: string) => Object.fromEntries(await Promise.all(Object.entries(dbs()).map(async ([k, d1]) => [k, await count(d1, "SELECT count(*) AS n FROM cases WHERE ref = ?", ref)])));

function registration(ref: string, district: "TO" | "MI", occurredAt = ago(3_600_000)) {
  return { type: "suspect.registered", caseRef: ref, occurredAt, data: { jurisdiction: district } };
}

idleInEveryDatabase();

describe("configuration", () => {
  it("refuses to serve a district listed without its database, or a code that is not a district's", async () => {
    for (const DISTRICTS of ["TO,MI,RM", "TO,IT", "TO,torino"]) {
      const res = await fetchWith({ DISTRICTS }, "/api/v1/cases", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.status, DISTRICTS).toBe(503);
      expect(((await res.json()) as { code: string; detail: string }).detail).toMatch(/^DISTRICTS: /);
    }
    expect((await fetchWith({ DISTRICTS: "TO" }, "/api/v1/cases", { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });
});

describe("the directory in every district", () => {
  it("copies the central directory into each district's database, under the central stamp", async () => {
    const stamp = async (d1: D1Database) => (await d1.prepare("SELECT stamp FROM directory_stamp").first<{ stamp: string }>())!.stamp;
    const central = await stamp(env.DB);
    expect(await stamp(env.DISTRICT_TO)).toBe(central);
    expect(await stamp(env.DISTRICT_MI)).toBe(central);
    const offices = await count(env.DB, "SELECT count(*) AS n FROM offices");
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM offices")).toBe(offices);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM webhook_secrets")).toBe(await count(env.DB, "SELECT count(*) AS n FROM webhook_secrets"));
  });

  it("copies an administrator's change at once, and the sweep repairs a district that missed one", async () => {
    const res = await api("POST", "/api/v1/subscriptions", { body: { office: "procura-milano", url: "https://ricevente.example.org/termini", kinds: ["deadline.escalated"] } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM subscriptions WHERE id = ?", id)).toBe(1);
    // A copy that failed: Turin's is older than the central directory.
    await env.DISTRICT_TO.prepare("DELETE FROM subscription_secrets WHERE subscription_id = ?").bind(id).run();
    await env.DISTRICT_TO.prepare("DELETE FROM subscriptions WHERE id = ?").bind(id).run();
    expect((await replicateDirectory(env)).copied).toEqual(["TO"]);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM subscriptions WHERE id = ?", id)).toBe(1);
    expect(await replicateDirectory(env)).toEqual({ copied: [], current: ["MI", "TO"], failed: [] });
    // Off again: later tests' events must not be sent to this made-up endpoint.
    expect((await api("PATCH", `/api/v1/subscriptions/${id}`, { body: { enabled: false } })).status).toBe(200);
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM subscriptions WHERE id = ? AND disabled_at IS NOT NULL", id)).toBe(1);
  });
});

describe("events", () => {
  it("writes a Turin sender's case in Turin's database and a Milan sender's in Milan's, and nothing in the central one", async () => {
    const turin = newRef();
    const milan = newRef();
    expect((await postWebhook(registration(turin, "TO"))).status).toBe(201);
    expect((await postWebhook(registration(milan, "MI"), { secret: MILANO_SECRET })).status).toBe(201);
    expect(await whereIs(turin)).toEqual({ central: 0, TO: 1, MI: 0 });
    expect(await whereIs(milan)).toEqual({ central: 0, TO: 0, MI: 1 });
    // The case's rows go with it: its event, deadlines, notifications, audit and the webhook's receipt.
    for (const table of ["events", "deadlines", "notifications", "webhook_deliveries"]) {
      expect(await count(env.DB, `SELECT count(*) AS n FROM ${table}`), table).toBe(0);
      expect(await count(env.DISTRICT_MI, `SELECT count(*) AS n FROM ${table}`), table).toBeGreaterThan(0);
    }
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM audit_log WHERE case_id IN (SELECT id FROM cases WHERE ref = ?)", turin)).toBeGreaterThan(0);
  });

  it("records a later event where the case is, for a caller acting in every district", async () => {
    const ref = newRef();
    expect((await postWebhook(registration(ref, "MI"), { secret: MILANO_SECRET })).status).toBe(201);
    const res = await api("POST", `${casePath(ref)}/events`, { body: { type: "measures.requested", occurredAt: ago(60_000), data: {} } });
    expect(res.status).toBe(201);
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM events WHERE type = 'measures.requested' AND case_id IN (SELECT id FROM cases WHERE ref = ?)", ref)).toBe(1);
    expect(await whereIs(ref)).toEqual({ central: 0, TO: 0, MI: 1 });
  });

  it("answers a repeated webhook from the district that recorded it, and writes nothing twice", async () => {
    const ref = newRef();
    const first = await postWebhook(registration(ref, "MI"), { secret: MILANO_SECRET, id: `msg_${ref}` });
    const again = await postWebhook(registration(ref, "MI"), { secret: MILANO_SECRET, id: `msg_${ref}` });
    expect([first.status, again.status, again.headers.get("Webhook-Replayed")]).toEqual([201, 201, "true"]);
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM events WHERE case_id IN (SELECT id FROM cases WHERE ref = ?)", ref)).toBe(1);
  });

  it("refuses a new case for a district this deployment does not serve, and writes nothing", async () => {
    const ref = newRef();
    const res = await api("POST", `${casePath(ref)}/events`, { body: { type: "suspect.registered", occurredAt: ago(60_000), data: { jurisdiction: "RM" } } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("invalid_parameter");
    expect(await whereIs(ref)).toEqual({ central: 0, TO: 0, MI: 0 });
  });

  it("asks a caller acting in several districts which one a new case is in", async () => {
    const ref = newRef();
    const res = await api("POST", `${casePath(ref)}/events`, { body: { type: "suspect.registered", occurredAt: ago(60_000), data: {} } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { parameter: string }).parameter).toBe("data.jurisdiction");
  });
});

describe("reads", () => {
  it("shows each office its own district's cases, and an administrator both, newest first", async () => {
    const turin = newRef();
    const milan = newRef();
    await postWebhook(registration(turin, "TO"));
    await postWebhook(registration(milan, "MI"), { secret: MILANO_SECRET });
    expect((await api("GET", casePath(milan), { token: MILANO_TOKEN })).status).toBe(200);
    expect((await api("GET", casePath(milan), { token: TORINO_TOKEN })).status).toBe(404);
    expect((await api("GET", casePath(turin), { token: MILANO_TOKEN })).status).toBe(404);
    const all = (await (await api("GET", "/api/v1/cases?limit=200", { token: ADMIN_TOKEN })).json()) as { cases: { ref: string; createdAt: string }[] };
    const refs = all.cases.map((c) => c.ref);
    expect(refs).toEqual(expect.arrayContaining([turin, milan]));
    expect(refs.indexOf(milan)).toBeLessThan(refs.indexOf(turin));
    const deadlines = (await (await api("GET", "/api/v1/offices/procura-milano/deadlines", { token: MILANO_TOKEN })).json()) as { deadlines: { caseRef: string }[] };
    expect(deadlines.deadlines.map((d) => d.caseRef)).toContain(milan);
    expect(deadlines.deadlines.map((d) => d.caseRef)).not.toContain(turin);
  });
});

describe("delivery", () => {
  it("sweeps every district: each district's due messages are sent from its own database", async () => {
    const turin = newRef();
    const milan = newRef();
    // Registered 27 days ago: the 7-day reminder (day 23) is overdue in both districts.
    await postWebhook(registration(turin, "TO", ago(27 * DAY)));
    await postWebhook(registration(milan, "MI", ago(27 * DAY)), { secret: MILANO_SECRET });
    const sentFor = (d1: D1Database, ref: string) => count(d1, `SELECT count(*) AS n FROM notifications n JOIN timeline_instances i ON i.id = n.instance_id
      JOIN cases c ON c.id = i.case_id WHERE c.ref = ? AND n.status = 'sent' AND n.rung = 'reminder-7d'`, ref);
    await sweep(env, Date.now());
    expect([await sentFor(env.DISTRICT_TO, turin), await sentFor(env.DISTRICT_MI, milan)]).toEqual([1, 1]);
    expect(await count(env.DB, "SELECT count(*) AS n FROM notifications")).toBe(0);
  });
});

describe("reports", () => {
  it("adds up the districts' counters: an office counted in two districts is counted in full", async () => {
    for (const [d1, value] of [[env.DISTRICT_TO, 3], [env.DISTRICT_MI, 4]] as const) {
      await d1.prepare("INSERT INTO stat_counters (month, office_id, metric, value) VALUES ('2024-02', 'dipartimento-po', 'test.metric', ?)").bind(value).run();
    }
    const rows = await countersAcross([database(env.DISTRICT_TO, "TO"), database(env.DISTRICT_MI, "MI")], "2024-02", "2024-02");
    expect(rows.filter((r) => r.metric === "test.metric")).toEqual([{ month: "2024-02", officeId: "dipartimento-po", metric: "test.metric", value: 7 }]);
  });

  it("builds the national report from both districts, and keeps its versions in the central database", async () => {
    for (const [district, secret] of [["TO", undefined], ["MI", MILANO_SECRET]] as const) {
      for (let i = 0; i < 5; i++) {
        const ref = newRef();
        await postWebhook(registration(ref, district, "2025-03-02T10:00:00+01:00"), { secret });
        await api("POST", `${casePath(ref)}/events`, { body: { type: "measures.requested", occurredAt: "2025-03-12T10:00:00+01:00", data: {} } });
      }
    }
    const res = await api("GET", "/api/v1/reports/national/2025?format=json", { token: MINISTRY });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { tables: { id: string; rows: Record<string, string | number>[] }[] };
    const pm = doc.tables.find((t) => t.id === "362-bis")!.rows.filter((r) => String(r.term).startsWith("Valutazione del PM"));
    expect(pm.map((r) => [r.office, r.met])).toEqual(expect.arrayContaining([["Piemonte", 5], ["Lombardia", 5]]));
    expect(await count(env.DB, "SELECT count(*) AS n FROM reports WHERE kind = 'national'")).toBe(1);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM reports")).toBe(0);
  });
});

describe("retention", () => {
  it("purges quiet cases in every district", async () => {
    const old = Date.now() - 7 * 365 * DAY;
    for (const d1 of [env.DISTRICT_TO, env.DISTRICT_MI]) {
      const id = crypto.randomUUID();
      await d1.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES (?, ?, 'procura-torino', ?, 'test', ?)")
        .bind(id, `quiet-${id.slice(0, 8)}`, old, old).run();
    }
    const counts = await retention(env, Date.now());
    expect(counts.cases).toBeGreaterThanOrEqual(2);
    expect(await count(env.DISTRICT_TO, "SELECT count(*) AS n FROM cases WHERE ref LIKE 'quiet-%'")).toBe(0);
    expect(await count(env.DISTRICT_MI, "SELECT count(*) AS n FROM cases WHERE ref LIKE 'quiet-%'")).toBe(0);
  });
});
