/**
 * Another office's credential and another district's, on every route that names something an
 * office owns, driven by the route contracts: a new route with such a parameter is refused to
 * outsiders without anyone remembering, and a route whose parameter names something new fails
 * "is classified" until someone says whose it is.
 *
 * The objects are Turin's: a case of the Procura di Torino (the GIP di Torino on it), a
 * subscription of the Procura di Torino, the Procura's compliance data. The outsiders: the
 * Questura di Torino (same district, not on the case) and the Procura di Milano (another district).
 * A case or a subscription an outsider may not see is answered as one that does not exist (404);
 * a report scope or an administrator's route is refused (403). Either way nothing is written.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest.js";
import type { Contract as RouteContract } from "../../src/http/contract.js";
import { CONTRACTS } from "../../src/routes/contracts.js";
import { ADMIN_TOKEN, PROCURA_TOKEN, api, newRef } from "../backbone/helpers.js";

const QUESTURA = "cross-office-questura-token-0001";
const MILANO = "termini-local-procura-milano-token";
const OUTSIDERS = [["the Questura di Torino (same district)", QUESTURA], ["the Procura di Milano (another district)", MILANO]] as const;

type Owned = "case" | "subscription" | "office" | "report" | "admin";
/** Whose object each kind of path names; `undefined`: a route with no owner's object in its path. */
function ownedBy(c: RouteContract): Owned | undefined {
  if (c.path.includes("{ref}")) return "case";
  if (c.path.startsWith("/api/v1/subscriptions/{id}")) return "subscription";
  if (c.path.startsWith("/api/v1/offices/{id}")) return "office";
  if (c.path.startsWith("/api/v1/reports/{kind}/{period}")) return "report";
  // Paths administrators alone act on: a timeline version, a reference to review.
  if (c.path.startsWith("/api/v1/timelines/{id}/") || c.path.startsWith("/api/v1/integrity/")) return "admin";
  return undefined;
}

const REFUSED: Record<Owned, number[]> = { case: [404], subscription: [404], office: [403, 404], report: [403], admin: [403] };
const bearer = CONTRACTS.filter((c) => c.security === "bearer");
const named = bearer.filter((c) => /\{\w+\}/.test(c.path));

let ref = "";
let subscription = "";
let delivery = "";

/** A request on the route for Turin's object, with a body each write accepts in shape. */
function request(c: RouteContract): { path: string; body?: unknown } {
  const path = c.path
    .replace("{ref}", encodeURIComponent(ref)).replace("{delivery}", delivery)
    .replace("/subscriptions/{id}", `/subscriptions/${subscription}`).replace("/offices/{id}", "/offices/procura-torino")
    .replace("{kind}/{period}", "compliance-quarterly/2026-Q1").replace("/timelines/{id}", "/timelines/362-bis")
    .replace("{caseId}", "3f6c2a1e-8b7d-4c5e-9f0a-1b2c3d4e5f60");
  const query = ownedBy(c) === "report" ? "?office=procura-torino" : "";
  const body = c.method === "get" ? undefined
    : c.path.endsWith("/events") ? { type: "measures.requested", occurredAt: new Date(Date.now() - 60_000).toISOString() }
    : c.method === "patch" ? { url: "https://altrove.example.org/termini" }
    : c.path.endsWith("/sample") ? { type: "deadline.opened" } : {};
  return { path: `${path}${query}`, body };
}

/** What an outsider could have changed, in every database given: cases, events, deadlines, messages, the subscription, reports. */
async function footprint(databases: readonly D1Database[]): Promise<string> {
  const all = [];
  for (const db of databases) all.push(await snapshot(db));
  return JSON.stringify(all);
}

async function snapshot(db: D1Database): Promise<unknown[]> {
  const rows = await db.batch([
    db.prepare("SELECT count(*) AS n FROM cases"),
    db.prepare("SELECT count(*) AS n FROM events"),
    db.prepare("SELECT count(*) AS n FROM timeline_instances"),
    db.prepare("SELECT count(*) AS n FROM notifications"),
    db.prepare("SELECT count(*) AS n FROM deadlines"),
    db.prepare("SELECT url, kinds, disabled_at FROM subscriptions WHERE id = ?").bind(subscription),
    db.prepare("SELECT count(*) AS n FROM subscription_secrets"),
    db.prepare("SELECT status, attempts FROM outbound_deliveries WHERE id = ?").bind(delivery),
    db.prepare("SELECT count(*) AS n FROM outbound_events"),
    db.prepare("SELECT count(*) AS n FROM reports"),
  ]);
  return rows.map((r) => r.results);
}

/**
 * The suite, against the databases that may hold what an outsider could change: the central one
 * alone (one database), or with the districts' (test/districts/cross-office.test.ts).
 */
export function refusesOutsiders(databases: () => readonly D1Database[]): void {
  beforeAll(async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at) VALUES ('t-cross-questura', 'Questura', ?, 'staff', 0)").bind(await sha256Hex(QUESTURA)),
      env.DB.prepare("INSERT INTO credential_offices (credential_id, office_id) VALUES ('t-cross-questura', 'questura-torino')"),
    ]);
    ref = newRef();
    const made = await api("POST", "/api/v1/cases", { token: PROCURA_TOKEN, body: { ref, offices: { procura: "procura-torino", gip: "gip-torino" } } });
    expect(made.status, await made.clone().text()).toBe(201);
    const sub = await api("POST", "/api/v1/subscriptions", { token: ADMIN_TOKEN, body: { office: "procura-torino", url: "https://ricevente.example.org/termini", kinds: ["deadline.opened"] } });
    expect(sub.status, await sub.clone().text()).toBe(201);
    subscription = ((await sub.json()) as { id: string }).id;
    // A dead delivery of that subscription: the replay route then names something real.
    delivery = `msg_cross.${subscription}`;
    await env.DB.batch([
      env.DB.prepare("INSERT INTO outbound_events (id, kind, case_id, body, created_at) VALUES ('msg_cross', 'deadline.opened', NULL, '{}', 0)"),
      env.DB.prepare("INSERT INTO outbound_deliveries (id, event_id, subscription_id, status, due_at, created_at) VALUES (?, 'msg_cross', ?, 'dead', 0, 0)").bind(delivery, subscription),
    ]);
    expect((await api("GET", `/api/v1/subscriptions/${subscription}/deliveries`, { token: PROCURA_TOKEN })).status).toBe(200);
  });

  describe("routes that name an office's object", () => {
    it("is classified: every bearer route with a path parameter says whose object it names", () => {
      expect(named.filter((c) => ownedBy(c) === undefined).map((c) => `${c.method} ${c.path}`)).toEqual([]);
      expect(named.length).toBeGreaterThan(15);
    });

    it("are open to their owner: the objects exist, so a refusal below is not a 404 for a typo", async () => {
      expect((await api("GET", `/api/v1/cases/${encodeURIComponent(ref)}`, { token: PROCURA_TOKEN })).status).toBe(200);
      expect((await api("GET", `/api/v1/subscriptions/${subscription}`, { token: PROCURA_TOKEN })).status).toBe(200);
    });

    for (const c of named) {
      for (const [who, token] of OUTSIDERS) {
        it(`${c.method.toUpperCase()} ${c.path}: refused to ${who}, with nothing written`, async () => {
          const before = await footprint(databases());
          const { path, body } = request(c);
          const res = await api(c.method.toUpperCase(), path, { token, body });
          const text = await res.text();
          expect(REFUSED[ownedBy(c)!], `${res.status} ${text.slice(0, 300)}`).toContain(res.status);
          expect(res.headers.get("Content-Type")).toBe("application/problem+json");
          // A refusal names nothing of the object it refused: not the case's offices, not the endpoint.
          expect(text).not.toContain("gip-torino");
          expect(text).not.toContain("ricevente.example.org");
          expect(await footprint(databases())).toBe(before);
        });
      }
    }
  });
}
