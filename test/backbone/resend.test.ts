/**
 * Email through Resend, against a local fake that speaks Resend's
 * POST /emails wire format: retries with backoff on 429 and 5xx, the
 * notification id as idempotency key, and a permanent failure recorded
 * and escalated to the office's fallback address.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, inject, it } from "vitest";
import { notifications } from "../../src/db/schema.js";
import type { Bindings } from "../../src/env.js";
import { sweep } from "../../src/workflows/sweep.js";
import { api, db, idleWorkflows, newRef, postWebhook, registration } from "./helpers.js";

const fake = inject("fakeResendUrl");
const PROCURA = "fasce.deboli.procura.torino@example.org";
const PROCURA_FALLBACK = "segreteria.procura.torino@example.org";
// 8:00 on 25 March 2026: the 7-day reminder of a registration on 2 March is due.
const AT = Date.parse("2026-03-25T09:00:00+01:00");

interface FakeRequest {
  idempotencyKey: string | null;
  authorization: string | null;
  body: { from: string; to: string[]; subject: string; text: string; html: string };
  status: number;
}

const control = (path: string, body?: unknown) =>
  fetch(`${fake}/__control/${path}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
const received = async () => (await (await control("requests")).json()) as FakeRequest[];
const withResend = (baseUrl = fake): Bindings => ({ ...env, RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: baseUrl });

let introspector: Awaited<ReturnType<typeof idleWorkflows>> | undefined;
beforeEach(async () => {
  await control("reset");
  // Workflows stay idle here: only the sweep delivers, through Resend.
  introspector = await idleWorkflows();
});
afterEach(async () => {
  await introspector?.dispose();
});

async function dueReminder(): Promise<string> {
  const res = await postWebhook(registration(newRef(), "2026-03-02T10:15:00+01:00"));
  const { timelines } = (await res.json()) as { timelines: { instanceId: string }[] };
  // Earlier tests' rows are settled first, so each test sees only its own traffic.
  await sweep(env, AT - 86_400_000);
  await control("reset");
  return `${timelines[0]!.instanceId}.pm-assessment.reminder-7d`;
}

const row = async (id: string) => (await db().select().from(notifications).where(eq(notifications.id, id)).get())!;

it("retries a 429 and sends one email, keyed by the notification id", async () => {
  const id = await dueReminder();
  await control("script", { to: PROCURA, statuses: [429] });
  await sweep(withResend(), AT);

  const mine = (await received()).filter((r) => r.idempotencyKey === id);
  expect(mine.map((r) => r.status)).toEqual([429, 200]);
  expect(mine[1]!.authorization).toBe("Bearer re_test_key");
  expect(mine[1]!.body).toMatchObject({ from: env.EMAIL_FROM, to: [PROCURA] });
  expect(mine[1]!.body.subject).toContain("Promemoria");
  expect(mine[1]!.body.html).toContain("<table>");
  expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
});

it("records a server that fails every time, and tells the office's fallback address", async () => {
  const id = await dueReminder();
  await control("script", { to: PROCURA, always: 500 });
  await sweep(withResend(), AT);

  const all = await received();
  expect(all.filter((r) => r.idempotencyKey === id).map((r) => r.status)).toEqual([500, 500, 500, 500]);
  expect(await row(id)).toMatchObject({ status: "failed", lastError: "500 internal_server_error" });
  const fallback = await row(`${id}.fallback`);
  expect(fallback).toMatchObject({ status: "sent", kind: "fallback", recipients: [PROCURA_FALLBACK] });
  const sent = all.find((r) => r.idempotencyKey === `${id}.fallback`)!;
  expect(sent.body.subject).toContain("Recapito non riuscito");
  expect(sent.body.text).toContain("Procura della Repubblica presso il Tribunale di Torino");

  // Admins see both in the outbox, with their delivery status.
  const outbox = (await (await api("GET", "/api/v1/outbox?limit=500")).json()) as { messages: { id: string; status: string; error: string | null }[] };
  expect(outbox.messages.find((m) => m.id === id)).toMatchObject({ status: "failed", error: "500 internal_server_error" });
});

it("does not retry a permanent refusal", async () => {
  const id = await dueReminder();
  await control("script", { to: PROCURA, always: 422 });
  await sweep(withResend(), AT);
  expect((await received()).filter((r) => r.idempotencyKey === id).map((r) => r.status)).toEqual([422]);
  expect(await row(id)).toMatchObject({ status: "failed", lastError: "422 validation_error" });
  expect((await row(`${id}.fallback`)).status).toBe("sent");
});

it("keeps a message that cannot reach Resend at all as failed, never silently dropped", async () => {
  const id = await dueReminder();
  await sweep(withResend("http://127.0.0.1:9"), AT);
  expect(await row(id)).toMatchObject({ status: "failed", lastError: "network application_error" });
  expect(await row(`${id}.fallback`)).toMatchObject({ status: "failed" });
});
