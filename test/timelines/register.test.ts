/**
 * The register application (2022 bill): 30 days, one suspension of up to
 * 30 days that moves the deadline, and silence meaning rejection.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { notifications, outbox } from "../../src/db/schema.js";
import { sweep } from "../../src/workflows/sweep.js";
import { db, idleWorkflows, newRef, recordWith } from "../backbone/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

/** Bills run here as a deployment that enabled them would. */
const post = (ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}) =>
  recordWith({ ENABLED_BILLS: "register-application" }, ref, type, occurredAt, data);

it("moves the deadline by the longest suspension on the request, then by the days actually suspended", async () => {
  const ref = newRef();
  const start = await post(ref, "register.application-received", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
  expect(start.status).toBe(201);
  expect(start.body.deadlines).toMatchObject([{ dueDate: "2026-04-01", status: "open" }]);
  // Up to 30 days more: 2 March + 60 = 1 May, a holiday: 2 May.
  const asked = await post(ref, "register.documents-requested", "2026-03-10T10:00:00+01:00");
  expect(asked.body.deadlines).toMatchObject([{ dueDate: "2026-05-02" }]);
  // Suspended 10 days (10 to 20 March): 2 March + 40 = 11 April, a Saturday, not a holiday for administrative terms.
  const received = await post(ref, "register.documents-received", "2026-03-20T10:00:00+01:00");
  expect(received.body.deadlines).toMatchObject([{ dueDate: "2026-04-11" }]);
  const again = await post(ref, "register.documents-requested", "2026-03-25T10:00:00+01:00");
  expect([again.status, again.body.code]).toEqual([409, "suspension_used"]);

  // Silence: when the date passes without a decision the applicant hears that the application is rejected.
  const id = start.body.timelines[0]!.instanceId;
  await sweep(env, Date.parse("2026-04-12T09:00:00+02:00"));
  const silence = (await db().select().from(notifications).where(eq(notifications.id, `${id}.decision.silence`)).get())!;
  expect([silence.status, silence.officeId]).toEqual(["sent", "associazione-demo-torino"]);
  // Emails say that the timeline comes from a bill, and the rung's own wording.
  const mail = (await db().select().from(outbox).where(eq(outbox.notificationId, silence.id)).get())!;
  expect(mail.text).toContain("(proposta di legge)");
  expect(mail.text).toContain("silenzio-rigetto");
  expect(mail.subject).toContain("Segnalazione");
});

it("refuses documents received when nothing was requested", async () => {
  const ref = newRef();
  await post(ref, "register.application-received", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
  const res = await post(ref, "register.documents-received", "2026-03-05T10:00:00+01:00");
  expect([res.status, res.body.code]).toEqual([409, "not_suspended"]);
});

it("keeps the suspension when the start of a suspended term is corrected: base term, then the days suspended", async () => {
  const ref = newRef();
  const start = await post(ref, "register.application-received", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
  await post(ref, "register.documents-requested", "2026-03-10T10:00:00+01:00");
  await post(ref, "register.documents-received", "2026-03-20T10:00:00+01:00");
  // The application really arrived on 4 March: 4 March + 30 + 10 suspended = 13 April 2026, a Monday.
  // Recomputed from the base term alone it would be 3 April: the suspension must not be dropped.
  const fixed = await post(ref, "event.corrected", "2026-03-21T10:00:00+01:00", { eventId: start.body.event.id, occurredAt: "2026-03-04T10:00:00+01:00" });
  expect(fixed.status).toBe(201);
  expect(fixed.body.deadlines).toMatchObject([{ stage: "decision", dueDate: "2026-04-13" }]);
  // While still suspended (no documents yet) a correction keeps the longest suspension, 30 days.
  const ref2 = newRef();
  const start2 = await post(ref2, "register.application-received", "2026-03-02T10:00:00+01:00", { jurisdiction: "TO" });
  await post(ref2, "register.documents-requested", "2026-03-10T10:00:00+01:00");
  const fixed2 = await post(ref2, "event.corrected", "2026-03-11T10:00:00+01:00", { eventId: start2.body.event.id, occurredAt: "2026-03-03T10:00:00+01:00" });
  // 3 March + 60 days = 2 May 2026, a Saturday (administrative: not moved).
  expect(fixed2.body.deadlines).toMatchObject([{ dueDate: "2026-05-02" }]);
});
