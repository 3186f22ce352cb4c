import { env } from "cloudflare:workers";
import { count, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest.js";
import { auditLog, events } from "../../src/db/schema.js";
import { PROCURA_TOKEN, ago, api, casePath, db, newRef } from "./helpers.js";

const QUESTURA_TOKEN = "test-questura-token-0001";
const HEAD_TOKEN = "test-procuratore-token-0001";

beforeAll(async () => {
  for (const [id, token, office] of [["t-questura", QUESTURA_TOKEN, "questura-torino"], ["t-head", HEAD_TOKEN, "procuratore-torino"]]) {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at) VALUES (?, ?, ?, 'staff', 0)").bind(id, id, await sha256Hex(token!)),
      env.DB.prepare("INSERT INTO credential_offices (credential_id, office_id) VALUES (?, ?)").bind(id, office),
    ]);
  }
});

async function problem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await res.json()) as { code: string; parameter?: string };
  expect(body.code).toBe(code);
  return body;
}

async function createCase(token = PROCURA_TOKEN) {
  const ref = newRef();
  const res = await api("POST", "/api/v1/cases", { token, body: { ref, offices: { procura: "procura-torino", gip: "gip-torino" } } });
  expect(res.status).toBe(201);
  return ref;
}

describe("authentication", () => {
  it("refuses a missing, malformed or unknown token with 401 and a WWW-Authenticate challenge", async () => {
    const none = await api("GET", "/api/v1/cases", { token: null });
    await problem(none, 401, "unauthorized");
    expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
    await problem(await api("GET", "/api/v1/cases", { token: "short" }), 401, "unauthorized");
    await problem(await api("GET", "/api/v1/cases", { token: "not-a-real-token-at-all" }), 401, "unauthorized");
  });

  it("refuses a revoked token", async () => {
    await env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at, revoked_at) VALUES ('t-old', 'old', ?, 'staff', 0, 1)")
      .bind(await sha256Hex("revoked-token-000000001")).run();
    await problem(await api("GET", "/api/v1/cases", { token: "revoked-token-000000001" }), 401, "unauthorized");
  });
});

describe("cases", () => {
  it("creates a case for the caller's office and refuses a duplicate", async () => {
    const ref = await createCase();
    await problem(await api("POST", "/api/v1/cases", { token: PROCURA_TOKEN, body: { ref, offices: { procura: "procura-torino" } } }), 409, "case_exists");
  });

  it("refuses a case that involves none of the caller's offices, and unknown or mistyped offices by field", async () => {
    await problem(await api("POST", "/api/v1/cases", { token: QUESTURA_TOKEN, body: { ref: newRef(), offices: { procura: "procura-torino" } } }), 403, "forbidden");
    const unknown = await problem(await api("POST", "/api/v1/cases", { body: { ref: newRef(), offices: { gip: "gip-nowhere" } } }), 422, "unknown_office");
    expect(unknown.parameter).toBe("offices.gip");
    const wrong = await problem(await api("POST", "/api/v1/cases", { body: { ref: newRef(), offices: { gip: "procura-torino" } } }), 422, "unknown_office");
    expect(wrong.parameter).toBe("offices.gip");
    const body = await problem(await api("POST", "/api/v1/cases", { body: { ref: "x", offices: {} } }), 422, "invalid_body");
    expect(body.parameter).toBe("ref");
  });

  it("lists only the caller's cases; another office finds no such case (404, as for one that does not exist), a superior office may read it", async () => {
    const ref = await createCase();
    const mine = (await (await api("GET", "/api/v1/cases?limit=200", { token: PROCURA_TOKEN })).json()) as { cases: { ref: string }[] };
    expect(mine.cases.map((c) => c.ref)).toContain(ref);
    const theirs = (await (await api("GET", "/api/v1/cases", { token: QUESTURA_TOKEN })).json()) as { cases: unknown[] };
    expect(theirs.cases).toEqual([]);
    await problem(await api("GET", casePath(ref), { token: QUESTURA_TOKEN }), 404, "not_found");
    expect((await api("GET", casePath(ref), { token: HEAD_TOKEN })).status).toBe(200);
    await problem(await api("GET", casePath("9999/2099"), { token: PROCURA_TOKEN }), 404, "not_found");
  });

  it("pages the list with a next link", async () => {
    await createCase();
    await createCase();
    const page = (await (await api("GET", "/api/v1/cases?limit=1")).json()) as { cases: { ref: string }[]; next: string };
    expect(page.cases).toHaveLength(1);
    const next = (await (await api("GET", page.next)).json()) as { cases: { ref: string }[] };
    expect(next.cases[0]!.ref).not.toBe(page.cases[0]!.ref);
    await problem(await api("GET", "/api/v1/cases?limit=0"), 400, "invalid_parameter");
  });
});

describe("events through the staff API", () => {
  it("starts the timeline on a case created through the API, and replays a repeated Idempotency-Key", async () => {
    const ref = await createCase();
    const body = { type: "suspect.registered", occurredAt: ago(3_600_000) };
    const headers = { "Idempotency-Key": `k-${ref}` };
    const first = await api("POST", `${casePath(ref)}/events`, { token: PROCURA_TOKEN, body, headers });
    expect(first.status).toBe(201);
    const [before] = await db().select({ n: count() }).from(events);
    const again = await api("POST", `${casePath(ref)}/events`, { token: PROCURA_TOKEN, body, headers });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { replayed: boolean }).replayed).toBe(true);
    const [after] = await db().select({ n: count() }).from(events);
    expect(after!.n).toBe(before!.n);
    await problem(await api("POST", `${casePath(ref)}/events`, { token: PROCURA_TOKEN, body: { ...body, type: "measures.requested" }, headers }), 409, "idempotency_conflict");
  });

  it("refuses events on another office's case, on an unknown case, and with a bad body", async () => {
    const ref = await createCase();
    await problem(await api("POST", `${casePath(ref)}/events`, { token: QUESTURA_TOKEN, body: { type: "suspect.registered", occurredAt: ago(1000) } }), 403, "forbidden");
    await problem(await api("POST", `${casePath("4242/2026")}/events`, { body: { type: "measures.decided", occurredAt: ago(1000) } }), 404, "not_found");
    const bad = await problem(await api("POST", `${casePath(ref)}/events`, { body: { type: "suspect.registered" } }), 422, "invalid_body");
    expect(bad.parameter).toBe("occurredAt");
    await problem(await api("POST", `${casePath(ref)}/events`, { body: { type: "measures.requested", occurredAt: ago(1000) } }), 409, "no_running_timeline");
  });

  it("accepts an office added a moment ago, whose district the directory held in memory does not know yet", async () => {
    // The isolate holds the directory as of this request (a copy used for up to a minute for a first look).
    await createCase();
    const token = "test-procura-genova-token-0001";
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email) VALUES
        ('procura-genova', 'procura', 'Procura della Repubblica presso il Tribunale di Genova', 'GE', 'IT', '["procura.genova@example.org"]', 'segreteria.procura.genova@example.org'),
        ('gip-genova', 'gip', 'Ufficio GIP del Tribunale di Genova', 'GE', 'IT', '["gip.genova@example.org"]', 'cancelleria.gip.genova@example.org')`),
      env.DB.prepare("INSERT INTO api_credentials (id, name, token_hash, role, created_at) VALUES ('t-genova', 't-genova', ?, 'staff', 0)").bind(await sha256Hex(token)),
      env.DB.prepare("INSERT INTO credential_offices (credential_id, office_id) VALUES ('t-genova', 'procura-genova')"),
    ]);
    // The copy in memory would refuse ("non opera per il distretto GE"): the refusal is checked against the database first.
    const res = await api("POST", `${casePath(newRef())}/events`, { token, body: { type: "suspect.registered", occurredAt: ago(60_000), data: { jurisdiction: "GE" } } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { deadlines: { office: string }[] }).deadlines.map((d) => d.office)).toEqual(["procura-genova"]);
  });

  it("shows the case with its deadline and why it falls on that date", async () => {
    const ref = await createCase();
    await api("POST", `${casePath(ref)}/events`, { body: { type: "suspect.registered", occurredAt: "2025-12-05T09:00:00+01:00" } });
    const view = (await (await api("GET", casePath(ref), { token: PROCURA_TOKEN })).json()) as {
      timelines: { deadlines: { dueDate: string; status: string; why: { steps: { text: string }[]; plainDate: string } }[] }[];
    };
    const d = view.timelines[0]!.deadlines[0]!;
    // 5 December 2025 + 30 = 4 January 2026, a Sunday: extended to Monday 5 January.
    expect(d.dueDate).toBe("2026-01-05");
    expect(d.why.plainDate).toBe("2026-01-04");
    expect(d.why.steps[0]!.text).toContain("non si computa");
    expect(d.why.steps.map((s) => s.text).join(" ")).toContain("04/01/2026 è festivo (domenica)");
  });
});

describe("office deadlines", () => {
  it("lists an office's open deadlines soonest first, and refuses another office's list", async () => {
    const ref = await createCase();
    await api("POST", `${casePath(ref)}/events`, { token: PROCURA_TOKEN, body: { type: "suspect.registered", occurredAt: ago(1000) } });
    const res = await api("GET", "/api/v1/offices/procura-torino/deadlines?status=open", { token: PROCURA_TOKEN });
    const body = (await res.json()) as { deadlines: { caseRef: string; dueAt: string; status: string }[] };
    expect(body.deadlines.map((d) => d.caseRef)).toContain(ref);
    expect(body.deadlines.every((d) => d.status === "open")).toBe(true);
    const due = body.deadlines.map((d) => Date.parse(d.dueAt));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    await problem(await api("GET", "/api/v1/offices/gip-torino/deadlines", { token: PROCURA_TOKEN }), 403, "forbidden");
    await problem(await api("GET", "/api/v1/offices/procura-torino/deadlines?status=soon", { token: PROCURA_TOKEN }), 400, "invalid_parameter");
  });
});

describe("audit and admin", () => {
  it("audits reads and writes of case data, and the log refuses to be rewritten", async () => {
    const ref = await createCase();
    await api("GET", casePath(ref), { token: PROCURA_TOKEN });
    const rows = await db().select().from(auditLog).orderBy(desc(auditLog.id)).limit(2).all();
    expect(rows.map((r) => [r.action, r.actor])).toEqual([["case.read", "credential:demo-procura"], ["case.created", "credential:demo-procura"]]);
    await expect(env.DB.prepare("UPDATE audit_log SET actor = 'x'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_log").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM events").run()).rejects.toThrow(/append-only/);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "case.read")).all()).length).toBeGreaterThan(0);
  });

  it("shows the outbox to admins only", async () => {
    await problem(await api("GET", "/api/v1/outbox", { token: PROCURA_TOKEN }), 403, "forbidden");
    expect((await api("GET", "/api/v1/outbox")).status).toBe(200);
  });

  it("publishes /openapi.json from the Zod schemas and an Italian docs page", async () => {
    const doc = (await (await api("GET", "/openapi.json", { token: null })).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/webhooks/events", "/api/v1/cases/{ref}/events", "/api/v1/offices/{id}/deadlines"]));
    expect(Object.keys(doc.components.schemas["WebhookEvent.suspect.registered"]!.properties!)).toEqual(expect.arrayContaining(["type", "caseRef", "occurredAt", "data"]));
    const page = await api("GET", "/docs", { token: null });
    expect(page.headers.get("Content-Type")).toContain("text/html");
    expect(await page.text()).toContain('<html lang="it">');
  });
});
