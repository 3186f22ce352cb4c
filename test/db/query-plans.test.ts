/**
 * Every query on a request path is an index walk. The requests each role
 * makes — dashboards, an office's deadlines, the calendar feed, the case
 * page, an event arriving — and the workflow's plan and the cron sweep run
 * against a D1 that records every statement with its values; each is then
 * asked for its EXPLAIN QUERY PLAN. A full scan of a table that grows with
 * cases, or a temporary B-tree over more than one case's rows (a sort of
 * rows read in full), fails the test and names the statement and the
 * request that ran it.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { sha256Hex } from "../../src/lib/digest.js";
import { createApp } from "../../src/app.js";
import { database } from "../../src/db/client.js";
import type { Bindings } from "../../src/env.js";
import { planInstance } from "../../src/workflows/plan.js";
import { sweep } from "../../src/workflows/sweep.js";
import { retention } from "../../src/workflows/retention.js";
import { ADMIN_TOKEN, DAY, PROCURA_TOKEN, ago, casePath, idleWorkflows, newRef, postWebhook, record, registration } from "../backbone/helpers.js";
import { signedIn } from "../web/browser.js";
import { subscribe } from "../outbound/helpers.js";

/** Tables whose rows grow with the number of cases (or of requests). */
const GROWING = new Set([
  "cases", "case_offices", "events", "timeline_instances", "deadlines", "notifications", "outbox", "audit_log",
  "webhook_deliveries", "stat_counters", "mail_outbox", "workflow_failures",
  "outbound_events", "outbound_deliveries", "outbound_attempts", "qstash_receipts",
]);

interface Ran { label: string; sql: string; params: unknown[] }
const ran: Ran[] = [];
let label = "";

/** env.DB, recording each statement it prepares and the values bound to it. */
const recording: D1Database = new Proxy(env.DB, {
  get(target, prop) {
    if (prop === "prepare") {
      return (sql: string) => {
        const entry: Ran = { label, sql, params: [] };
        ran.push(entry);
        const stmt = target.prepare(sql);
        const bind = stmt.bind.bind(stmt);
        stmt.bind = (...values: unknown[]) => {
          entry.params = values;
          return bind(...values);
        };
        return stmt;
      };
    }
    const value = Reflect.get(target, prop);
    return typeof value === "function" ? value.bind(target) : value;
  },
});
const recordingEnv = { ...env, DB: recording };

async function request(as: string, path: string, init: RequestInit & { cookie?: string; token?: string } = {}): Promise<Response> {
  label = as;
  const headers = new Headers(init.headers);
  if (init.cookie !== undefined) headers.set("Cookie", init.cookie);
  if (init.token !== undefined) headers.set("Authorization", `Bearer ${init.token}`);
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(`https://termini.test${path}`, { ...init, headers }), recordingEnv, ctx);
  await waitOnExecutionContext(ctx);
  await res.arrayBuffer();
  return res;
}

async function cookieOf(email: string): Promise<string> {
  const b = await signedIn(email);
  return [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Keys that select the rows of one case (or fewer): what is found by them stays small as cases grow. */
const PER_CASE = new Set(["id", "rowid", "case_id", "instance_id", "deadline_id", "ref", "idempotency_key"]);

/** "SEARCH t USING INDEX i (a=? AND b>?)": true when every condition is an equality on a per-case key. */
function perCase(detail: string): boolean {
  const conditions = /\((.*)\)$/.exec(detail)?.[1]?.split(" AND ") ?? [];
  return conditions.length > 0 && conditions.every((c) => /^(\w+)=\?$/.test(c) && PER_CASE.has(c.split("=")[0]!));
}

/**
 * The plan's lines that read a growing table in full, or that sort rows
 * which are not all one case's (a case's own timelines, deadlines and
 * messages may be sorted: they do not grow with the number of cases).
 */
async function badSteps(r: Ran): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${r.sql}`).bind(...r.params).all<{ detail: string }>();
  const lines = results.map((x) => x.detail);
  const reads = lines.filter((d) => GROWING.has(/^(?:SEARCH|SCAN) (\w+)/.exec(d)?.[1] ?? ""));
  const oneCase = reads.every((d) => d.startsWith("SEARCH") && perCase(d));
  const sorts = lines.some((d) => d.startsWith("USE TEMP B-TREE"));
  // Reading an index in its own order with nothing to skip stops at the LIMIT: a walk, not a scan.
  const walk = (d: string) => / USING (COVERING )?INDEX /.test(d) && !sorts && /\blimit\b/i.test(r.sql) && !/\bwhere\b/i.test(r.sql);
  return lines.filter((d) => {
    const scan = /^SCAN (\w+)/.exec(d);
    return (scan !== null && GROWING.has(scan[1]!) && !walk(d)) || (d.startsWith("USE TEMP B-TREE") && !oneCase);
  });
}

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
let instanceId = "";
const ref = newRef();

let subscription = "";

beforeAll(async () => {
  spy = await idleWorkflows();
  // A subscription to every kind: events write outbound rows, the plan and the sweep deliver them.
  subscription = (await subscribe(`plans-${crypto.randomUUID()}`, {
    office: "procura-torino", kinds: ["deadline.opened", "deadline.reminder", "deadline.escalated", "deadline.closed", "deadline.changed", "timeline.ended"],
  })).id;
  // Data on every path: a case with a running timeline, a closed stage, messages due and sent.
  const started = await postWebhook(registration(ref, ago(40 * DAY)));
  instanceId = ((await started.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId;
  await record(newRef(), "suspect.registered", ago(3 * DAY), { jurisdiction: "TO" });
  const other = newRef();
  await record(other, "suspect.registered", ago(10 * DAY), { jurisdiction: "TO" });
  await record(other, "measures.requested", ago(DAY));
  const token = "tokenperilcalendariodiprova";
  await env.DB.prepare("INSERT INTO calendar_tokens (token_hash, user_id, created_at) VALUES (?, 'u-procura', 0)").bind(await sha256Hex(token)).run();

  const cookies = Object.fromEntries(await Promise.all(
    ["operatore.procura@example.org", "procuratore@example.org", "funzionario.regione@example.org", "funzionario.ministero@example.org", "amministratore@example.org"]
      .map(async (e) => [e, await cookieOf(e)] as const),
  ));
  ran.length = 0;
  for (const [email, cookie] of Object.entries(cookies)) {
    await request(`dashboard (${email})`, "/", { cookie, headers: { Accept: "text/html" } });
    await request(`dashboard filtered (${email})`, "/?scadenzario=362-bis", { cookie, headers: { Accept: "text/html" } });
  }
  const operator = cookies["operatore.procura@example.org"]!;
  await request("case page", `/cases/${encodeURIComponent(ref)}`, { cookie: operator, headers: { Accept: "text/html" } });
  await request("case actions", `/azioni/${encodeURIComponent(ref)}?ufficio=procura-torino`, { cookie: operator, headers: { Accept: "text/html" } });
  await request("calendar feed", `/ical/${token}.ics`);
  for (const status of ["open", "overdue", "upcoming", "met", "late", "closed", "all"]) {
    await request(`office deadlines (${status})`, `/api/v1/offices/procura-torino/deadlines?status=${status}`, { token: PROCURA_TOKEN });
  }
  await request("case (API)", casePath(ref), { token: PROCURA_TOKEN });
  await request("cases (API)", "/api/v1/cases", { token: PROCURA_TOKEN });
  await request("cases (API, admin)", "/api/v1/cases", { token: ADMIN_TOKEN });
  await request("event (API)", `${casePath(ref)}/events`, {
    method: "POST", token: ADMIN_TOKEN, headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ type: "measures.requested", occurredAt: ago(60_000), data: {} }),
  });
  await request("subscriptions (API)", "/api/v1/subscriptions", { token: ADMIN_TOKEN });
  await request("subscription (API)", `/api/v1/subscriptions/${subscription}`, { token: ADMIN_TOKEN });
  await request("subscription deliveries (API)", `/api/v1/subscriptions/${subscription}/deliveries?status=dead`, { token: ADMIN_TOKEN });
  await request("subscription event log (API)", `/api/v1/subscriptions/${subscription}/events?limit=10`, { token: ADMIN_TOKEN });
  const admin = cookies["amministratore@example.org"]!;
  await request("webhook admin page", "/admin/webhook", { cookie: admin, headers: { Accept: "text/html" } });
  await request("webhook admin detail", `/admin/webhook/${subscription}`, { cookie: admin, headers: { Accept: "text/html" } });
  label = "workflow plan";
  await planInstance(database(recording), instanceId, Date.now(), 600_000);
  label = "cron sweep";
  await sweep(recordingEnv, Date.now());
  // Through QStash (the fake, paused): the due rows published in batches, then looked up when no outcome came.
  const qstash = { ...recordingEnv, QSTASH_TOKEN: "plans-qstash", QSTASH_URL: inject("fakeQStashUrl") } as Bindings;
  await fetch(`${qstash.QSTASH_URL}/__control/pause?account=plans-qstash`, { method: "POST", body: JSON.stringify({ paused: true }) });
  await env.DB.prepare("UPDATE outbound_deliveries SET status = 'pending', due_at = 0 WHERE subscription_id = ?").bind(subscription).run();
  label = "cron sweep (QStash)";
  await sweep(qstash, Date.now());
  await sweep(qstash, Date.now() + 4 * 3_600_000);
  expect(await env.DB.prepare("SELECT count(*) AS n FROM outbound_deliveries WHERE subscription_id = ? AND status = 'published'").bind(subscription).first("n")).toBeGreaterThan(0);
  // Last, as it deletes: the daily purge, as of six years on (every case without a running timeline goes).
  label = "retention purge";
  await env.DB.prepare("UPDATE timeline_instances SET status = 'closed', closed_at = 0 WHERE id <> ?").bind(instanceId).run();
  expect((await retention(recordingEnv, Date.now() + 6 * 365 * DAY)).cases).toBeGreaterThan(0);
});

afterAll(async () => { await spy.dispose(); });

it("runs the requests it checks, each reading D1", () => {
  const labels = new Set(ran.map((r) => r.label));
  for (const l of ["dashboard (procuratore@example.org)", "case page", "calendar feed", "office deadlines (open)", "workflow plan", "cron sweep", "cron sweep (QStash)", "retention purge", "event (API)", "webhook admin page", "subscription (API)", "subscription event log (API)"]) {
    expect(labels, l).toContain(l);
  }
});

it("walks an index for every query on a request path: no full scan of a growing table, no temporary sort", async () => {
  const seen = new Map<string, Ran>();
  for (const r of ran) if (!seen.has(r.sql)) seen.set(r.sql, r);
  const failures: string[] = [];
  for (const r of seen.values()) {
    const bad = await badSteps(r);
    if (bad.length > 0) failures.push(`${r.label}: ${bad.join("; ")}\n  ${r.sql}`);
  }
  expect(failures, failures.join("\n\n")).toEqual([]);
});
