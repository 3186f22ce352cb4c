/**
 * A scheduled obligation that fails to open is never counted as opened:
 * only its own replay (or the same obligation opened by hand) is
 * "existing"; anything else is logged, listed for administrators and
 * tried again on the next run, until it opens.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { offices, scheduleFailures, timelineInstances } from "../../src/db/schema.js";
import { startScheduled } from "../../src/workflows/schedule.js";
import { api, db, idleWorkflows } from "../backbone/helpers.js";

// 20 November 2026: inside the 45-day lead of the 31 December compliance dates.
// Inside the lead window of the fourth quarter's data (due 15 January 2027) and the second half-year's report (due 30 January).
const AT = Date.parse("2026-12-20T06:00:00+01:00");
const BROKEN = "procura-calendario-errato";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeEach(async () => { spy = await idleWorkflows(); });
afterEach(async () => { await spy.dispose(); });

it("counts an obligation that cannot open as failed, lists it for administrators, and opens it once the directory is fixed", async () => {
  // A Procura whose calendar the engine does not know: its deadline cannot be computed.
  await db().insert(offices).values({
    id: BROKEN, kind: "procura", name: "Procura con calendario errato", jurisdiction: "TO", calendar: "IT-XX",
    emails: ["procura.errata@example.org"], fallbackEmail: "segreteria.errata@example.org", escalatesTo: null, region: "Piemonte",
  }).run();
  const first = await startScheduled(env, AT);
  // Turin's and Milan's Procura and PG open; the broken Procura does not.
  expect(first).toEqual({ started: 4, existing: 0, failed: 1 });
  const listed = await db().select().from(scheduleFailures).all();
  expect(listed).toEqual([expect.objectContaining({ ref: `compliance-quarterly/${BROKEN}/2026-12-31`, code: "invalid_body", attempts: 1 })]);

  const again = await startScheduled(env, AT + 300_000);
  expect(again).toEqual({ started: 0, existing: 4, failed: 1 });
  expect((await db().select().from(scheduleFailures).get())!.attempts).toBe(2);
  const outbox = (await (await api("GET", "/api/v1/outbox")).json()) as { delivery: { obligationsNotOpened: number } };
  expect(outbox.delivery.obligationsNotOpened).toBe(1);

  await db().update(offices).set({ calendar: "IT-TO" }).where(eq(offices.id, BROKEN)).run();
  const fixed = await startScheduled(env, AT + 600_000);
  expect(fixed).toEqual({ started: 1, existing: 4, failed: 0 });
  expect(await db().select().from(scheduleFailures).all()).toEqual([]);
  const opened = await db().select().from(timelineInstances).where(eq(timelineInstances.timeline, "compliance-quarterly")).all();
  expect(opened).toHaveLength(3);
});
