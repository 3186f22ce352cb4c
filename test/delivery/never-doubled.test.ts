/**
 * A notification is never doubled: an attempt repeated after a crash or a
 * timeout reuses the same idempotency key, the provider (Resend, or the
 * outbox on its own) sends it once, and the row, the audit log and the
 * report counters record it once — even when a sender that hung past its
 * claim comes back to write its own success.
 */
import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auditLog, notifications, outbox, statCounters } from "../../src/db/schema.js";
import { deliveryContext } from "../../src/notify/context.js";
import { type DeliveryContext, deliver } from "../../src/notify/deliver.js";
import type { Mailer } from "../../src/notify/mailer.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { fakeResend } from "../fake-resend/client.js";

const fake = fakeResend("never-doubled");
const MIN = 60_000;
// Registered 2 March 2026: due 1 April; the first escalation when the deadline passes.
const ESCALATION_AT = Date.parse("2026-04-02T00:00:30+02:00");

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => {
  spy = await idleWorkflows();
  await sweep(fake.bindings(), ESCALATION_AT);
  await fake.reset();
});
afterEach(async () => { await spy.dispose(); });

async function dueEscalation(): Promise<string> {
  const res = await postWebhook(registration(newRef(), "2026-03-02T10:15:00+01:00"));
  const instanceId = ((await res.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId;
  return `${instanceId}.pm-assessment.escalation-1`;
}

const row = async (id: string) => (await db().select().from(notifications).where(eq(notifications.id, id)).get())!;
const sentAudits = async (id: string) => (await db().select().from(auditLog)
  .where(and(eq(auditLog.action, "notification.sent"), sql`json_extract(${auditLog.detail}, '$.notificationId') = ${id}`)).all()).length;
const escalated = async () => (await db().select().from(statCounters)
  .where(and(eq(statCounters.officeId, "procura-torino"), eq(statCounters.metric, "362-bis:pm-assessment:escalated"))).all())
  .reduce((a, r) => a + r.value, 0);

/** A sender that dies right after the provider accepted the message, before writing anything. */
function crashingAfterAcceptance(m: Mailer): Mailer {
  return { name: m.name, send: async (e) => { await m.send(e); throw new Error("process killed"); } };
}

describe("a crash between the provider's acceptance and the sent mark", () => {
  it("gives the office one email, the audit log one entry and the report one count", async () => {
    const id = await dueEscalation();
    const before = await escalated();
    const ctx = deliveryContext(fake.bindings(), "system:cron", ESCALATION_AT);
    await expect(deliver({ ...ctx, mailer: crashingAfterAcceptance(ctx.mailer) }, id, ESCALATION_AT)).rejects.toThrow("process killed");
    expect(await row(id)).toMatchObject({ status: "sending" });

    // Within the claim's life nobody else sends it; after, the sweep takes it over with the same key.
    expect((await sweep(fake.bindings(), ESCALATION_AT + MIN))["in-flight"]).toBe(0);
    expect((await row(id)).status).toBe("sending");
    await sweep(fake.bindings(), ESCALATION_AT + 3 * MIN);
    await sweep(fake.bindings(), ESCALATION_AT + 4 * MIN);

    const requests = (await fake.requests()).filter((r) => r.idempotencyKey === id);
    expect(requests.map((r) => r.status)).toEqual([200, 200]);
    expect((await fake.delivered()).filter((d) => d.idempotencyKey === id)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await sentAudits(id)).toBe(1);
    expect((await escalated()) - before).toBe(1);
  });

  it("lets the outbox, which no provider deduplicates, store the message once", async () => {
    const id = await dueEscalation();
    const ctx = deliveryContext(env, "system:cron", ESCALATION_AT);
    await expect(deliver({ ...ctx, mailer: crashingAfterAcceptance(ctx.mailer) }, id, ESCALATION_AT)).rejects.toThrow();
    await sweep(env, ESCALATION_AT + 3 * MIN);
    expect(await db().select().from(outbox).where(eq(outbox.notificationId, id)).all()).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await sentAudits(id)).toBe(1);
  });
});

describe("a sender whose claim was taken over", () => {
  it("never marks, audits or counts the message a second time", async () => {
    const id = await dueEscalation();
    const before = await escalated();
    const resend = deliveryContext(fake.bindings(), "system:workflow", ESCALATION_AT);
    // The first sender hangs inside its send until its claim is stale; the sweep takes the row
    // over and delivers it; then the first sender's provider call returns and it tries to record.
    const hanging: Mailer = {
      name: "resend",
      async send(e) {
        const r = await resend.mailer.send(e);
        await db().update(notifications).set({ claimedAtMs: ESCALATION_AT - 10 * MIN }).where(eq(notifications.id, id)).run();
        expect(await sweep(fake.bindings(), ESCALATION_AT + MIN)).toMatchObject({ sent: 1 });
        return r;
      },
    };
    const ctx: DeliveryContext = { ...resend, mailer: hanging };
    expect(await deliver(ctx, id, ESCALATION_AT)).toBe("already-done");

    expect((await fake.delivered()).filter((d) => d.idempotencyKey === id)).toHaveLength(1);
    expect(await sentAudits(id)).toBe(1);
    expect((await escalated()) - before).toBe(1);
  });
});

describe("a provider slower than the timeout", () => {
  it("is not sent to again while its first request is still in flight, and the office gets one email", async () => {
    const id = await dueEscalation();
    // The provider holds the first request until the test lets it go: the retry below provably
    // reaches it while the first is still being processed, however loaded the machine.
    await fake.script({ to: "procuratore.torino@example.org", hold: true });
    const quick = { MAIL_TIMEOUT_MS: "200" };
    // Two senders at once: one claims, the other finds it in flight.
    const [a, b] = await Promise.all([sweep(fake.bindings(quick), ESCALATION_AT), sweep(fake.bindings(quick), ESCALATION_AT)]);
    expect(a.retrying + b.retrying).toBe(1);
    expect((await row(id)).lastError).toBe("timeout");
    // The retry arrives while the provider is still processing the first request: 409, try later.
    await sweep(fake.bindings(quick), ESCALATION_AT + 61_000);
    expect((await row(id)).lastError).toBe("409 concurrent_idempotent_requests");
    expect(await fake.release("procuratore.torino@example.org")).toBe(1);
    await vi.waitUntil(async () => (await fake.delivered()).some((d) => d.idempotencyKey === id), { timeout: 40_000, interval: 200 });
    await sweep(fake.bindings(quick), ESCALATION_AT + 10 * MIN);

    expect(await row(id)).toMatchObject({ status: "sent" });
    expect((await fake.delivered()).filter((d) => d.idempotencyKey === id)).toHaveLength(1);
    expect(await sentAudits(id)).toBe(1);
  });
});
