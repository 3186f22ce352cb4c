/**
 * An event reads the same number of D1 rows however many cases the
 * database holds: every statement on the event path finds its rows by an
 * index that narrows to the case (an index on a status alone would read
 * every case's rows). Measured with the ingestion route's D1 meter.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_TOKEN, DAY, casePath, fetchWith, idleWorkflows, newRef, runningCases } from "../backbone/helpers.js";

let spy: Awaited<ReturnType<typeof idleWorkflows>>;
beforeAll(async () => { spy = await idleWorkflows(); });
afterAll(async () => { await spy.dispose(); });

/** An event through the staff API, metered: the rows it read. */
async function rowsRead(ref: string, type: string, occurredAt: string, data: Record<string, unknown> = {}): Promise<number> {
  const res = await fetchWith({ D1_METER: "1" } as never, `${casePath(ref)}/events`, {
    method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "X-D1-Meter": "1" },
    body: JSON.stringify({ type, occurredAt, data }),
  });
  expect(res.status).toBe(201);
  return Number(res.headers.get("X-D1-Rows-Read"));
}

/** A registration and the request for measures that closes its first stage: rows read by each. */
async function story(): Promise<[number, number]> {
  const ref = newRef();
  return [await rowsRead(ref, "suspect.registered", "2026-10-01T10:00:00+02:00", { jurisdiction: "TO" }), await rowsRead(ref, "measures.requested", "2026-10-20T10:00:00+02:00")];
}

it("reads as many rows for an event with a hundred more cases in the database", async () => {
  const [registeredFirst, closedFirst] = await story();
  const started = Date.parse("2026-10-01T10:00:00+02:00");
  const due = started + 30 * DAY;
  await runningCases("rp", 100, {
    started, due, recipients: ["procura.torino@example.org"],
    rungs: [["reminder-7d", "reminder", due - 7 * DAY], ["reminder-2d", "reminder", due - 2 * DAY], ["escalation-1", "escalation", due]],
  });
  const scheduled = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE status = 'scheduled'").first<{ n: number }>();
  expect(scheduled!.n).toBeGreaterThan(300);
  const [registered, closed] = await story();
  // Slack of about one row per statement: a range walk reads the row past its end when there is one
  // (at the start, the newest rows are last). A statement reading every case's rows would add a hundred or more.
  expect(registered).toBeLessThanOrEqual(registeredFirst + 20);
  expect(closed).toBeLessThanOrEqual(closedFirst + 20);
});
