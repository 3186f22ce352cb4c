/**
 * A notification is never lost: a failed delivery stays due and is tried
 * again with backoff, for hours; the office's fallback address and the
 * administrators hear of one that keeps failing; only a deadline's closing
 * or its escalations taking over make a failing message moot.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, notifications } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { api, db, idleWorkflows, newRef, postWebhook, registration } from "../backbone/helpers.js";
import { fakeResend } from "../fake-resend/client.js";

const fake = fakeResend("never-lost");
const MIN = 60_000;
const ADMIN = "amministratore@example.org";
const FALLBACK = "segreteria.procura.torino@example.org";
// A registration on 2 March 2026: due 1 April; its 7-day reminder at 08:00 on 25 March.
const REGISTERED = "2026-03-02T10:15:00+01:00";
const EIGHT = Date.parse("2026-03-25T08:00:00+01:00");

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => {
  spy = await idleWorkflows();
  await fake.reset();
});
afterEach(async () => { await spy.dispose(); });

/**
 * A new registration, after earlier tests' rows due before `firstSweep` are
 * settled (delivered with the provider up): storage is shared within a
 * file, and each test should see only its own messages fail.
 */
async function registered(firstSweep: number, occurredAt = REGISTERED): Promise<{ ref: string; instanceId: string }> {
  await sweep(fake.bindings(), firstSweep);
  await fake.reset();
  const ref = newRef();
  const res = await postWebhook(registration(ref, occurredAt));
  const instanceId = ((await res.json()) as { timelines: { instanceId: string }[] }).timelines[0]!.instanceId;
  return { ref, instanceId };
}

const row = async (id: string) => db().select().from(notifications).where(eq(notifications.id, id)).get();
const deliveredTo = async (key: string) => (await fake.delivered()).filter((d) => d.idempotencyKey === key);

/** Sweeps every 5 minutes from `from` to `to`, as the cron does. */
async function sweepsBetween(from: number, to: number, settings: Record<string, string> = {}) {
  for (let t = from; t <= to; t += 5 * MIN) await sweep(fake.bindings(settings), t);
}

describe("a provider outage", () => {
  it("delays the morning's reminder by a ten-minute outage at 08:00, and delivers it once after", async () => {
    const { instanceId } = await registered(EIGHT);
    const id = `${instanceId}.pm-assessment.reminder-7d`;
    await fake.outage(503);
    await sweepsBetween(EIGHT, EIGHT + 10 * MIN);
    expect(await row(id)).toMatchObject({ status: "scheduled", attempts: 3, lastError: "503 application_error" });
    await fake.outage(null);
    await sweepsBetween(EIGHT + 15 * MIN, EIGHT + 30 * MIN);

    expect(await row(id)).toMatchObject({ status: "sent", attempts: 4 });
    expect(await deliveredTo(id)).toHaveLength(1);
    // Short of half an hour: nobody is alarmed.
    expect(await row(`${id}.fallback`)).toBeUndefined();
    expect(await row(`${id}.alert`)).toBeUndefined();
  });

  it("tells the fallback address and the administrators once when a message is still failing after half an hour, and still delivers it", async () => {
    const { instanceId } = await registered(EIGHT);
    const id = `${instanceId}.pm-assessment.reminder-7d`;
    await fake.outage(503);
    await sweepsBetween(EIGHT, EIGHT + 60 * MIN);
    const failing = (await row(id))!;
    expect(failing.status).toBe("scheduled");
    expect(failing.firstFailedAtMs! - EIGHT).toBeLessThan(5_000);
    expect(await row(`${id}.fallback`)).toMatchObject({ kind: "fallback", recipients: [FALLBACK] });
    expect(await row(`${id}.alert`)).toMatchObject({ kind: "alert", recipients: [ADMIN] });

    await fake.outage(null);
    await sweepsBetween(EIGHT + 65 * MIN, EIGHT + 150 * MIN);
    expect(await row(id)).toMatchObject({ status: "sent" });
    expect(await deliveredTo(id)).toHaveLength(1);
    expect(await deliveredTo(`${id}.fallback`)).toHaveLength(1);
    const alert = (await fake.requests()).filter((r) => r.idempotencyKey === `${id}.alert` && r.status === 200);
    expect(alert).toHaveLength(1);
    expect(alert[0]!.body.text).toContain("sarà ritentato fino alle");
    expect(alert[0]!.body.text).toContain("503 application_error");
  });

  it("counts what is waiting for a retry for the administrators", async () => {
    const { instanceId } = await registered(EIGHT);
    await fake.outage(503);
    await sweep(fake.bindings(), EIGHT);
    const outbox = (await (await api("GET", "/api/v1/outbox?limit=500")).json()) as {
      delivery: { retrying: number; failingSince: string | null }; messages: { id: string; retryAt: string | null }[];
    };
    expect(outbox.delivery.retrying).toBeGreaterThanOrEqual(1);
    const id = `${instanceId}.pm-assessment.reminder-7d`;
    const first = (await row(id))!.firstFailedAtMs!;
    // The same instant, given with the Rome offset as every instant the API shows.
    const retryAt = outbox.messages.find((m) => m.id === id)!.retryAt!;
    expect(Date.parse(retryAt)).toBe(first + MIN);
    expect(retryAt).toMatch(/\+0[12]:00$/);
    await fake.outage(null);
  });

  it("stops after the retry window, records the failure once, and says so", async () => {
    const { instanceId } = await registered(EIGHT);
    const id = `${instanceId}.pm-assessment.reminder-7d`;
    await fake.outage(503);
    // A narrower window than the deployment's 20 hours, so that the test sweeps a few times.
    const settings = { MAIL_RETRY_WINDOW_MS: String(3 * 3_600_000) };
    for (let t = EIGHT; t <= EIGHT + 4 * 3_600_000; t += 15 * MIN) await sweep(fake.bindings(settings), t);
    expect(await row(id)).toMatchObject({ status: "failed", lastError: "503 application_error" });
    const failed = await db().select().from(auditLog)
      .where(and(eq(auditLog.action, "notification.failed"), sql`json_extract(${auditLog.detail}, '$.notificationId') = ${id}`)).all();
    expect(failed).toHaveLength(1);
    await fake.outage(null);
  });
});

describe("what makes a failing message moot", () => {
  it("supersedes a reminder still failing when its deadline passes: the escalation takes over", async () => {
    const { instanceId } = await registered(Date.parse("2026-04-01T08:00:00+02:00"));
    const id = `${instanceId}.pm-assessment.reminder-due-day`;
    await fake.outage(503);
    await sweep(fake.bindings(), Date.parse("2026-04-01T08:00:00+02:00"));
    expect(await row(id)).toMatchObject({ status: "scheduled", attempts: 1 });
    await fake.outage(null);
    await sweep(fake.bindings(), Date.parse("2026-04-02T00:00:30+02:00"));
    expect((await row(id))!.status).toBe("superseded");
    expect((await row(`${instanceId}.pm-assessment.escalation-1`))!.status).toBe("sent");
    expect(await deliveredTo(id)).toHaveLength(0);
  });

  it("cancels a failing escalation when the closing event arrives", async () => {
    const { ref, instanceId } = await registered(Date.parse("2026-04-02T00:00:30+02:00"));
    const id = `${instanceId}.pm-assessment.escalation-1`;
    await fake.outage(503);
    await sweep(fake.bindings(), Date.parse("2026-04-02T00:00:30+02:00"));
    expect(await row(id)).toMatchObject({ status: "scheduled", attempts: 1 });
    const closed = await postWebhook({ type: "measures.not-requested", caseRef: ref, occurredAt: "2026-04-02T09:00:00+02:00", data: {} });
    expect(closed.status).toBe(201);
    await fake.outage(null);
    await sweep(fake.bindings(), Date.parse("2026-04-02T10:00:00+02:00"));
    expect((await row(id))!.status).toBe("cancelled");
    expect(await deliveredTo(id)).toHaveLength(0);
  });
});
