import { env, exports } from "cloudflare:workers";
import { runs } from "../budget.js";
import { afterEach, expect } from "vitest";
import { sign } from "../../src/auth/standard-webhooks.js";
import { createApp } from "../../src/app.js";
import { database } from "../../src/db/client.js";
import type { Bindings } from "../../src/env.js";

export const DEMO_SECRET = "whsec_dGVybWluaS1sb2NhbC1kZW1vLXNlY3JldA==";
/** Milan's demo system (seeds/demo.sql): its Procura and GIP. */
export const MILANO_SECRET = "whsec_dGVybWluaS1sb2NhbC1taWxhbm8tc2VjcmV0";
export const ADMIN_TOKEN = "termini-local-demo-token";
export const PROCURA_TOKEN = "termini-local-procura-token";

export const db = () => database(env.DB);

let counter = 0;
const base = (Date.now() % 8_000) * 1_000 + 1_000_000;
/** A fresh case reference in the RGNR form (number/year) per call: storage is shared within a file. */
export const newRef = () => `${base + ++counter}/2026`;

export interface WebhookOptions {
  id?: string;
  timestamp?: number;
  secret?: string;
  contentType?: string;
  signature?: string;
  omit?: "webhook-id" | "webhook-timestamp" | "webhook-signature";
}

export async function postWebhook(body: unknown, o: WebhookOptions = {}): Promise<Response> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const id = o.id ?? `msg_${crypto.randomUUID()}`;
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "Content-Type": o.contentType ?? "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": o.signature ?? (await sign(o.secret ?? DEMO_SECRET, id, ts, text)),
  };
  if (o.omit !== undefined) delete headers[o.omit];
  return exports.default.fetch("http://termini.test/webhooks/events", { method: "POST", headers, body: text });
}

export async function api(
  method: string, path: string, o: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...o.headers };
  const token = o.token === undefined ? ADMIN_TOKEN : o.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (o.body !== undefined) headers["Content-Type"] ??= "application/json";
  return exports.default.fetch(`http://termini.test${path}`, {
    method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
}

export const casePath = (ref: string) => `/api/v1/cases/${encodeURIComponent(ref)}`;

/** An RFC 3339 instant `ms` before now, in UTC. */
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export const DAY = 86_400_000;

export function registration(ref: string, occurredAt = ago(3_600_000)) {
  return { type: "suspect.registered", caseRef: ref, occurredAt, data: { jurisdiction: "TO" } };
}

/**
 * Holds every workflow created from now on idle (each plan finds nothing),
 * so that a test drives delivery with the sweep at instants of its choice.
 * Dispose the returned introspector after the test: that also ends the
 * timelines the test left running (see endTimelines).
 */
export async function idleWorkflows(databases: readonly D1Database[] = [env.DB]) {
  const { introspectWorkflow } = await import("cloudflare:test");
  const spy = await introspectWorkflow(env.TIMELINE);
  await spy.modifyAll(async (m) => {
    for (let index = 1; index <= 200; index++) await m.mockStepResult({ name: "plan", index }, { asOf: 0, closed: false, due: [], nextAt: null });
  });
  const dispose = spy.dispose.bind(spy);
  spy.dispose = async () => {
    await endTimelines(databases);
    await dispose();
  };
  return spy;
}

/**
 * For a file whose tests drive workflows through introspection: call once at
 * the top; the returned function introspects the workflows a test creates,
 * the first `timeouts` of their `wake` waits timing out at once (time
 * passing). After each test its timelines are ended and the introspector disposed.
 */
export function introspectEach() {
  let current: { dispose(): Promise<void> } | undefined;
  afterEach(async () => {
    await endTimelines();
    await current?.dispose();
    current = undefined;
  });
  return async (timeouts: number) => {
    const { introspectWorkflow } = await import("cloudflare:test");
    const spy = await introspectWorkflow(env.TIMELINE);
    current = spy;
    await spy.modifyAll(async (m) => {
      for (let i = 1; i <= timeouts; i++) await m.forceEventTimeout({ name: "wake", index: i });
    });
    return spy;
  };
}

/**
 * Ends what the tests of a file started: every running timeline is closed
 * and its pending messages withdrawn, so that a later sweep in the same
 * file (storage is shared within a file) never wakes a workflow whose
 * introspector is gone. What is left in the output is then a real error.
 * `databases`: each one holding cases (the district layout's three).
 */
export async function endTimelines(databases: readonly D1Database[] = [env.DB]): Promise<void> {
  for (const d1 of databases) {
    await d1.batch([
      d1.prepare("UPDATE notifications SET status = 'cancelled' WHERE status IN ('scheduled', 'sending')"),
      d1.prepare("UPDATE timeline_instances SET status = 'closed', closed_at = ? WHERE status = 'running'").bind(Date.now()),
    ]);
  }
}

export type Recorded = {
  status: number;
  body: {
    code?: string; parameter?: string;
    event: { id: string };
    timelines: { timeline: string; instanceId: string; status: string }[];
    deadlines: { id: string; stage: string; office: string; status: string; dueAt: string; dueDate: string | null }[];
  };
};

/** Posts an event through the staff API as admin; returns the parsed body. */
export async function record(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}): Promise<Recorded> {
  const res = await api("POST", `${casePath(ref)}/events`, { body: { type, occurredAt, data } });
  return { status: res.status, body: (await res.json()) as Recorded["body"] };
}

const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

/** A request to the app as a deployment with other settings would serve it (e.g. ENABLED_BILLS). */
export function fetchWith(settings: Partial<Bindings>, path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(createApp().fetch(new Request(`http://termini.test${path}`, init), { ...env, ...settings }, ctx));
}

/** record(), under other settings. */
export async function recordWith(
  settings: Partial<Env>, ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {},
): Promise<Recorded> {
  const res = await fetchWith(settings, `${casePath(ref)}/events`, {
    method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ type, occurredAt, data }),
  });
  return { status: res.status, body: (await res.json()) as Recorded["body"] };
}

/**
 * A webhook sender acting for the given offices (a Questura's or a metropolitan city's system),
 * with its own secret: what an administrator would register. Returns the secret for postWebhook.
 */
export async function senderFor(id: string, offices: string[]): Promise<string> {
  const secret = `whsec_${btoa(`termini-test-${id}-secret-0123456789`)}`;
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO webhook_senders (id, name, created_at) VALUES (?, ?, 0)").bind(id, `Sistema di prova ${id}`),
    ...offices.map((o) => env.DB.prepare("INSERT OR IGNORE INTO sender_offices (sender_id, office_id) VALUES (?, ?)").bind(id, o)),
    env.DB.prepare("INSERT OR IGNORE INTO webhook_secrets (id, sender_id, secret, created_at, expires_at) VALUES (?, ?, ?, 0, NULL)").bind(`${id}-1`, id, secret),
  ]);
  return secret;
}

export type Rung = readonly [rung: string, kind: "reminder" | "escalation", sendAtMs: number];

/**
 * `n` running 362-bis cases of the Turin Procura, each with its PM-assessment
 * deadline and these rungs scheduled to `recipients`, written in one batch as
 * the event path writes them (for tests that need many cases quickly; no
 * workflow is created). Returns each case's deadline id.
 */
export async function runningCases(prefix: string, n: number, o: { started: number; due: number; rungs: readonly Rung[]; recipients: string[] }): Promise<string[]> {
  const v: Record<"cases" | "events" | "instances" | "deadlines" | "notifications", string[]> = { cases: [], events: [], instances: [], deadlines: [], notifications: [] };
  const { started, due } = o;
  const deadlineIds: string[] = [];
  for (let k = 0; k < n; k++) {
    const [c, e, i, d] = [`${prefix}-c${k}`, `${prefix}-e${k}`, `${prefix}-i${k}`, `${prefix}-i${k}.pm-assessment`];
    deadlineIds.push(d);
    v.cases.push(`('${c}', '${newRef()}', 'procura-torino', ${started}, 'test', ${started})`);
    v.events.push(`('${e}', '${prefix}:${k}', '${c}', 'suspect.registered', '${new Date(started).toISOString()}', ${started}, '{}', 'test', ${started})`);
    v.instances.push(`('${i}', '${c}', '362-bis', 1, 'running', '${e}', ${started}, NULL, '${i}')`);
    v.deadlines.push(`('${d}', '${i}', 'pm-assessment', 1, 'procura-torino', '${e}', ${started}, '${new Date(due).toISOString()}', ${due}, NULL, 'open', NULL, '{"steps":[]}', NULL, NULL)`);
    for (const [rung, kind, at] of o.rungs) {
      v.notifications.push(`('${d}.${rung}', '${d}', '${i}', '${rung}', '${kind}', 'procura-torino', '${JSON.stringify(o.recipients)}', ${at}, 'scheduled', 0)`);
    }
  }
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES ${v.cases.join(", ")}`),
    env.DB.prepare(`INSERT INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at) VALUES ${v.events.join(", ")}`),
    env.DB.prepare(`INSERT INTO timeline_instances (id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id) VALUES ${v.instances.join(", ")}`),
    env.DB.prepare(`INSERT INTO deadlines (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event) VALUES ${v.deadlines.join(", ")}`),
    env.DB.prepare(`INSERT INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status, attempts) VALUES ${v.notifications.join(", ")}`),
  ]);
  return deadlineIds;
}

/** A problem+json answer with this status and code; its body, for the detail and parameter. */
export async function expectProblem(res: Response, status: number, code: string): Promise<{ code: string; detail: string; requestId: string; parameter?: string }> {
  expect(res.headers.get("Content-Type")).toBe("application/problem+json");
  const body = (await res.json()) as { code: string; detail: string; requestId: string; parameter?: string };
  expect([res.status, body.code], body.detail).toEqual([status, code]);
  expect(body.requestId).toBeTruthy();
  return body;
}

/** How many random cases a sampling test tries here (test/budget.ts): the budget reaches workerd as a binding. */
export const runsHere = (full: number) => runs(full, (env as unknown as { TERMINI_TEST_BUDGET?: string }).TERMINI_TEST_BUDGET);
