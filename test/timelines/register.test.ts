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
