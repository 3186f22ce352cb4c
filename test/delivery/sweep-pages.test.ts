/**
 * One sweep takes page after page of due rows while its budget lasts: more
 * rows than one page (200) are all handled by the same run.
 */
import { env } from "cloudflare:workers";
import { beforeAll, expect, it } from "vitest";
import { sweep } from "../../src/workflows/sweep.js";
import { fakeResend } from "../fake-resend/client.js";

const fake = fakeResend("sweep-pages");
const ROWS = 450;
const AT = Date.parse("2026-06-01T08:00:00+02:00");

beforeAll(async () => {
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < ROWS; i++) {
    // Deadlines met before their escalation fell due: each row is due, and needs no email.
    stmts.push(
      env.DB.prepare("INSERT INTO cases (id, ref, owner_office_id, created_at, created_by) VALUES (?, ?, 'procura-torino', 0, 'test')").bind(`sc${i}`, `${600_000 + i}/2026`),
      env.DB.prepare("INSERT INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at) VALUES (?, ?, ?, 'suspect.registered', '2026-04-01T10:00:00+02:00', 0, '{}', 'test', 0)")
        .bind(`se${i}`, `pages:${i}`, `sc${i}`),
      env.DB.prepare("INSERT INTO timeline_instances (id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id) VALUES (?, ?, '362-bis', 1, 'closed', ?, 0, 1, ?)")
        .bind(`si${i}`, `sc${i}`, `se${i}`, `si${i}`),
      env.DB.prepare("INSERT INTO deadlines (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event) VALUES (?, ?, 'pm-assessment', 1, 'procura-torino', ?, 0, '2026-05-01T23:59:59+02:00', ?, NULL, 'met', NULL, '{}', 1, NULL)")
        .bind(`si${i}.pm-assessment`, `si${i}`, `se${i}`, AT - 86_400_000),
      env.DB.prepare("INSERT INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status, attempts) VALUES (?, ?, ?, 'escalation-1', 'escalation', 'procuratore-torino', '[\"procuratore.torino@example.org\"]', ?, 'scheduled', 0)")
        .bind(`si${i}.pm-assessment.escalation-1`, `si${i}.pm-assessment`, `si${i}`, AT),
    );
  }
  for (let i = 0; i < stmts.length; i += 500) await env.DB.batch(stmts.slice(i, i + 500));
});

it("handles more due rows than one page in a single run", async () => {
  const counts = await sweep(fake.bindings(), AT);
  expect(counts.cancelled).toBe(ROWS);
  expect(counts.deferred).toBe(0);
  const left = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE status = 'scheduled'").first<{ n: number }>();
  expect(left!.n).toBe(0);
});
