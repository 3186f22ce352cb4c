/**
 * Retention: the daily purge deletes a case's proceeding data once no
 * timeline of it runs and it has been quiet for RETENTION_YEARS (5), in
 * bounded batches; the audit log records each purge; the reports, which
 * read only the monthly counters, are the same afterwards.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionCutoff } from "../../src/domain/cases/retention.js";
import worker from "../../src/index.js";
import { RETENTION_CRON, retention } from "../../src/workflows/retention.js";
import { ADMIN_TOKEN, PROCURA_TOKEN, api, casePath, idleWorkflows, newRef, record } from "../backbone/helpers.js";

const REGION = "termini-local-regione-token";
const YEAR = 365 * 86_400_000;
let spy: Awaited<ReturnType<typeof idleWorkflows>>;
const closed: string[] = [];
let running = "";
let bare = "";
let start = 0;

const caseId = async (ref: string) => (await env.DB.prepare("SELECT id FROM cases WHERE ref = ?").bind(ref).first<{ id: string }>())?.id;
const count = async (sql: string, ...binds: unknown[]) => (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;
/** The regional report for 2025, generated afresh from the counters as they are now (a new version each time). */
const report = async () => {
  const made = await api("POST", "/api/v1/reports/regional/2025/generate", { token: REGION });
  expect(made.status).toBe(201);
  const { version } = (await made.json()) as { version: number };
  const res = await api("GET", `/api/v1/reports/regional/2025?format=json&version=${version}`, { token: REGION });
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { tables: { id: string; rows: Record<string, unknown>[] }[]; monthly: unknown };
  return { version, figures: JSON.stringify({ tables: doc.tables, monthly: doc.monthly }), doc };
};

beforeAll(async () => {
  spy = await idleWorkflows();
  start = Date.now();
  // Five cases whose timeline ended (no measures needed), one still running, one opened through the API with none.
  for (let i = 0; i < 5; i++) {
    const ref = newRef();
    expect((await record(ref, "suspect.registered", "2025-03-02T10:00:00+01:00", { jurisdiction: "TO" })).status).toBe(201);
    expect((await record(ref, "measures.not-requested", "2025-03-20T10:00:00+01:00")).status).toBe(201);
    closed.push(ref);
  }
  running = newRef();
  await record(running, "suspect.registered", "2025-03-02T10:00:00+01:00", { jurisdiction: "TO" });
  bare = newRef();
  expect((await api("POST", "/api/v1/cases", { token: PROCURA_TOKEN, body: { ref: bare, offices: { procura: "procura-torino" } } })).status).toBe(201);
});
afterAll(async () => { await spy.dispose(); });

describe("the retention purge", () => {
  it("computes the cutoff as the same calendar instant five years back", () => {
    expect(new Date(retentionCutoff(Date.parse("2031-06-15T02:17:00Z"), 5)).toISOString()).toBe("2026-06-15T02:17:00.000Z");
    expect(new Date(retentionCutoff(Date.parse("2032-02-29T00:00:00Z"), 5)).toISOString()).toBe("2027-03-01T00:00:00.000Z");
  });

  it("keeps every case until the period has passed since its last activity", async () => {
    const counts = await retention(env, start + 5 * YEAR - 30 * 86_400_000);
    expect(counts.cases).toBe(0);
    for (const ref of [...closed, running, bare]) expect(await caseId(ref), ref).toBeDefined();
  });

  it("refuses to delete an event of a case whose purge the audit log does not hold", async () => {
    const id = (await caseId(closed[0]!))!;
    await expect(env.DB.prepare("DELETE FROM events WHERE case_id = ?").bind(id).run()).rejects.toThrow(/append-only/);
  });

  it("purges quiet cases in bounded batches, keeps the running one, and leaves the reports as they were", async () => {
    const before = await report();
    // Not an empty report: the six assessments of 2025 (five ended without measures) are in it.
    expect(before.doc.tables.find((t) => t.id === "362-bis")!.rows.find((r) => r.term === "Valutazione del PM (30 giorni)")).toMatchObject({ met: 5 });
    const ids = await Promise.all(closed.map(caseId));
    const later = start + 5 * YEAR + 2 * 86_400_000;
    // Two per batch, two batches: four of the six quiet cases (five closed and the bare one); the rest the next day.
    const first = await retention(env, later, { batch: 2, batches: 2 });
    expect(first.cases).toBe(4);
    const second = await retention(env, later + 86_400_000, { batch: 2, batches: 2 });
    expect(second.cases).toBe(2);
    expect(first.events + second.events).toBe(10);
    expect(first.deadlines + second.deadlines).toBe(5);

    for (const ref of [...closed, bare]) expect(await caseId(ref), ref).toBeUndefined();
    expect(await caseId(running)).toBeDefined();
    const list = ids.map(() => "?").join(", ");
    for (const table of ["events", "timeline_instances", "case_offices", "outbound_events"]) {
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE case_id IN (${list})`, ...ids), table).toBe(0);
    }
    expect(await count(`SELECT count(*) AS n FROM deadlines d WHERE NOT EXISTS (SELECT 1 FROM timeline_instances i WHERE i.id = d.instance_id)`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM timeline_instances i WHERE i.id = n.instance_id)`)).toBe(0);

    // The audit log keeps the earlier entries and says what went, without the reference.
    expect(await count(`SELECT count(*) AS n FROM audit_log WHERE action = 'event.recorded' AND case_id IN (${list})`, ...ids)).toBe(10);
    const purge = await env.DB.prepare("SELECT actor, detail FROM audit_log WHERE action = 'case.purged' AND case_id = ?").bind(ids[0]).first<{ actor: string; detail: string }>();
    expect(purge!.actor).toBe("system:retention");
    expect(JSON.parse(purge!.detail)).toMatchObject({ events: 2, timelines: 1, deadlines: 1 });
    expect(purge!.detail).not.toContain(closed[0]!);

    const after = await report();
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.figures).toBe(before.figures);
    expect((await api("GET", casePath(closed[0]!), { token: PROCURA_TOKEN })).status).toBe(404);
    // The reference is free again: a new registration opens a new case.
    expect((await record(closed[0]!, "suspect.registered", "2026-01-10T10:00:00+01:00", { jurisdiction: "TO" })).status).toBe(201);
    expect(await caseId(closed[0]!)).not.toBe(ids[0]);
  });

  it("keeps a case an event touched after its purge was chosen", async () => {
    const ref = newRef();
    await record(ref, "suspect.registered", "2025-03-02T10:00:00+01:00", { jurisdiction: "TO" });
    await record(ref, "measures.not-requested", "2025-03-20T10:00:00+01:00");
    const id = (await caseId(ref))!;
    const { purgeCases } = await import("../../src/db/retention.js");
    const { database } = await import("../../src/db/client.js");
    // Chosen with a cutoff before its last event: the batch re-checks and leaves it.
    const cutoff = Date.now() - 60_000;
    expect(await purgeCases(database(env.DB), [id], cutoff, Date.now() + 5 * YEAR)).toMatchObject({ cases: 0, events: 0 });
    expect(await caseId(ref)).toBe(id);
  });

  it("purges inbound receipts after 30 days and runs from the daily cron", async () => {
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO webhook_deliveries (sender_id, webhook_id, status, body, received_at) VALUES ('demo', 'msg_old_receipt', 201, '{}', ?)").bind(now - 31 * 86_400_000),
      env.DB.prepare("INSERT INTO webhook_deliveries (sender_id, webhook_id, status, body, received_at) VALUES ('demo', 'msg_new_receipt', 201, '{}', ?)").bind(now - 29 * 86_400_000),
    ]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: RETENTION_CRON }), env, ctx);
    await waitOnExecutionContext(ctx);
    const left = await env.DB.prepare("SELECT webhook_id FROM webhook_deliveries WHERE webhook_id LIKE 'msg_%_receipt'").all<{ webhook_id: string }>();
    expect(left.results.map((r) => r.webhook_id)).toEqual(["msg_new_receipt"]);
    // The daily cron purges; the five-minute one does not.
    expect(await caseId(running)).toBeDefined();
    expect((await api("GET", "/api/v1/cases", { token: ADMIN_TOKEN })).status).toBe(200);
  });
});
