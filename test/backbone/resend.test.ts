/**
 * Email through Resend, against a local fake that speaks Resend's
 * POST /emails wire format and idempotency rules: the notification id as
 * idempotency key on every attempt, one request per attempt with a
 * timeout, and a refusal of the message itself told to the office's
 * fallback address and to the administrators at once.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { notifications } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { fakeResend } from "../fake-resend/client.js";
import { api, db, idleWorkflows, newRef, postWebhook, registration } from "./helpers.js";

const fake = fakeResend("backbone");
const PROCURA = "fasce.deboli.procura.torino@example.org";
const PROCURA_FALLBACK = "segreteria.procura.torino@example.org";
const ADMIN = "amministratore@example.org";
// 8:00 on 25 March 2026: the 7-day reminder of a registration on 2 March is due.
const AT = Date.parse("2026-03-25T09:00:00+01:00");

let introspector: Awaited<ReturnType<typeof idleWorkflows>> | undefined;
beforeEach(async () => {
  await fake.reset();
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
  await fake.reset();
  return `${timelines[0]!.instanceId}.pm-assessment.reminder-7d`;
}

const row = async (id: string) => (await db().select().from(notifications).where(eq(notifications.id, id)).get())!;

it("sends one email keyed by the notification id, with the key, the sender and the Italian message", async () => {
  const id = await dueReminder();
  await sweep(fake.bindings(), AT);

  const mine = (await fake.requests()).filter((r) => r.idempotencyKey === id);
  expect(mine.map((r) => r.status)).toEqual([200]);
  expect(mine[0]!.authorization).toBe(`Bearer ${fake.key}`);
  expect(mine[0]!.body).toMatchObject({ from: env.EMAIL_FROM, to: [PROCURA] });
  expect(mine[0]!.body.subject).toContain("Promemoria");
  expect(mine[0]!.body.html).toContain("<table>");
  // Every message opens with the administration that sends it.
  expect(mine[0]!.body.text.startsWith(`${env.ADMINISTRATION_NAME} — Termini\n\n`)).toBe(true);
  expect(mine[0]!.body.html).toContain(`<strong>${env.ADMINISTRATION_NAME}</strong> — Termini`);
  // The row keeps the message exactly as the provider accepted it.
  expect(await row(id)).toMatchObject({ status: "sent", attempts: 1, claim: expect.any(String), sentCopy: { subject: mine[0]!.body.subject, text: mine[0]!.body.text, html: mine[0]!.body.html } });
});

it("tries a 429 again later with the same key, honouring Retry-After, and sends one email", async () => {
  const id = await dueReminder();
  await fake.script({ to: PROCURA, statuses: [429] });
  expect((await sweep(fake.bindings(), AT)).retrying).toBe(1);
  const waiting = await row(id);
  expect(waiting).toMatchObject({ status: "scheduled", attempts: 1, lastError: "429 rate_limit_exceeded", firstFailedAtMs: expect.any(Number) });
  // Backoff: the first retry a minute after the failure, not in the same sweep.
  expect(waiting.retryAtMs! - waiting.firstFailedAtMs!).toBe(60_000);
  expect((await sweep(fake.bindings(), AT + 30_000)).sent).toBe(0);
  expect((await sweep(fake.bindings(), AT + 61_000)).sent).toBe(1);

  expect((await fake.requests()).filter((r) => r.idempotencyKey === id).map((r) => r.status)).toEqual([429, 200]);
  expect((await fake.delivered()).filter((d) => d.idempotencyKey === id)).toHaveLength(1);
  expect(await row(id)).toMatchObject({ status: "sent", attempts: 2, retryAtMs: null });
});

it("gives up on a permanent refusal at once, and tells the fallback address and the administrators", async () => {
  const id = await dueReminder();
  await fake.script({ to: PROCURA, always: 422 });
  expect((await sweep(fake.bindings(), AT)).failed).toBe(1);
  expect(await row(id)).toMatchObject({ status: "failed", lastError: "422 validation_error", attempts: 1 });
  expect(await row(`${id}.fallback`)).toMatchObject({ kind: "fallback", recipients: [PROCURA_FALLBACK], status: "scheduled" });
  expect(await row(`${id}.alert`)).toMatchObject({ kind: "alert", recipients: [ADMIN], status: "scheduled" });

  await sweep(fake.bindings(), AT + 1000);
  const delivered = await fake.delivered();
  expect(delivered.filter((d) => d.idempotencyKey === id)).toHaveLength(0);
  const fallback = delivered.find((d) => d.idempotencyKey === `${id}.fallback`)!;
  expect(fallback.subject).toContain("Recapito non riuscito");
  const alert = (await fake.requests()).find((r) => r.idempotencyKey === `${id}.alert`)!;
  expect(alert.body.to).toEqual([ADMIN]);
  expect(alert.body.text).toContain("422 validation_error");
  expect(alert.body.text).toContain("non sarà ritentato");

  // Admins see it in the outbox, with its delivery status.
  const outbox = (await (await api("GET", "/api/v1/outbox?limit=500")).json()) as { messages: { id: string; status: string; error: string | null }[] };
  expect(outbox.messages.find((m) => m.id === id)).toMatchObject({ status: "failed", error: "422 validation_error" });
});

it("waits no longer than the timeout for a provider that hangs, and keeps the message due", async () => {
  const id = await dueReminder();
  await fake.script({ to: PROCURA, delayMs: 4_000 });
  const started = Date.now();
  const counts = await sweep(fake.bindings({ MAIL_TIMEOUT_MS: "300" }), AT);
  expect(Date.now() - started).toBeLessThan(3_500);
  expect(counts.retrying).toBe(1);
  expect(await row(id)).toMatchObject({ status: "scheduled", lastError: "timeout" });
});

// workerd reports a refused connection as "uncaught … Network connection lost" even when caught.
it("keeps a message that cannot reach Resend at all due, never dropped", async () => {
  const id = await dueReminder();
  await sweep({ ...fake.bindings(), RESEND_BASE_URL: "http://127.0.0.1:9" }, AT);
  expect(await row(id)).toMatchObject({ status: "scheduled", lastError: "network" });
  await sweep(fake.bindings(), AT + 61_000);
  expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
});
