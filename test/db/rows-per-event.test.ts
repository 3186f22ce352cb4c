/**
 * An event reads the same number of D1 rows however many cases the
 * database holds: every statement on the event path finds its rows by an
 * index that narrows to the case (an index on a status alone would read
 * every case's rows). Measured with the ingestion route's D1 meter.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_TOKEN, casePath, fetchWith, idleWorkflows, newRef } from "../backbone/helpers.js";

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

/** `n` running 362-bis cases of the same office, with their scheduled rungs, written as the event path writes them. */
async function moreCases(n: number): Promise<void> {
  const v: Record<string, string[]> = { cases: [], events: [], timeline_instances: [], deadlines: [], notifications: [] };
  const started = Date.parse("2026-10-01T10:00:00+02:00");
  const due = started + 30 * 86_400_000;
  for (let k = 0; k < n; k++) {
    const [c, e, i, d] = [`rp-c${k}`, `rp-e${k}`, `rp-i${k}`, `rp-i${k}.pm-assessment`];
    v.cases!.push(`('${c}', '${newRef()}', 'procura-torino', ${started}, 'test', ${started})`);
    v.events!.push(`('${e}', 'rows:${k}', '${c}', 'suspect.registered', '${new Date(started).toISOString()}', ${started}, '{}', 'test', ${started})`);
    v.timeline_instances!.push(`('${i}', '${c}', '362-bis', 1, 'running', '${e}', ${started}, NULL, '${i}')`);
    v.deadlines!.push(`('${d}', '${i}', 'pm-assessment', 1, 'procura-torino', '${e}', ${started}, '${new Date(due).toISOString()}', ${due}, NULL, 'open', NULL, '{"steps":[]}', NULL, NULL)`);
    for (const [rung, kind, at] of [["reminder-7d", "reminder", due - 7 * 86_400_000], ["reminder-2d", "reminder", due - 2 * 86_400_000], ["escalation-1", "escalation", due]] as const) {
      v.notifications!.push(`('${d}.${rung}', '${d}', '${i}', '${rung}', '${kind}', 'procura-torino', '["procura.torino@example.org"]', ${at}, 'scheduled', 0)`);
    }
  }
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO cases (id, ref, owner_office_id, created_at, created_by, last_activity_at) VALUES ${v.cases!.join(", ")}`),
    env.DB.prepare(`INSERT INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at) VALUES ${v.events!.join(", ")}`),
    env.DB.prepare(`INSERT INTO timeline_instances (id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id) VALUES ${v.timeline_instances!.join(", ")}`),
    env.DB.prepare(`INSERT INTO deadlines (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event) VALUES ${v.deadlines!.join(", ")}`),
    env.DB.prepare(`INSERT INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status, attempts) VALUES ${v.notifications!.join(", ")}`),
  ]);
}

/** A registration and the request for measures that closes its first stage: rows read by each. */
async function story(): Promise<[number, number]> {
  const ref = newRef();
  return [await rowsRead(ref, "suspect.registered", "2026-10-01T10:00:00+02:00", { jurisdiction: "TO" }), await rowsRead(ref, "measures.requested", "2026-10-20T10:00:00+02:00")];
}

it("reads as many rows for an event with a hundred more cases in the database", async () => {
  const [registeredFirst, closedFirst] = await story();
  await moreCases(100);
  const scheduled = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE status = 'scheduled'").first<{ n: number }>();
  expect(scheduled!.n).toBeGreaterThan(300);
  const [registered, closed] = await story();
  // Slack of about one row per statement: a range walk reads the row past its end when there is one
  // (at the start, the newest rows are last). A statement reading every case's rows would add a hundred or more.
  expect(registered).toBeLessThanOrEqual(registeredFirst + 20);
  expect(closed).toBeLessThanOrEqual(closedFirst + 20);
});
