/**
 * npm run bench:morning — a national morning: 20,000 reminders and
 * escalations due at 08:00 across 140 Procure and 140 GIP offices,
 * delivered by the cron sweep (the same deliver() the workflows call; local
 * workflows cannot hold 20,000 live instances, so the instances' workflows
 * are stood in for by a stub that answers "waiting"), against the fake
 * Resend holding Resend's default rate limit of 5 requests per second
 * (resend.com/docs/api-reference/rate-limit): above it, 429 with
 * retry-after.
 *
 * The cron fires every 5 minutes: sweep i runs as of 08:00 + 5i minutes,
 * back to back in real time, with the fake's clock (its rate-limit window
 * and its delivery times) moved on to the same instant, so nobody waits
 * the five minutes. Runs until every message is accepted or MAX_SWEEPS
 * (an hour and a half of mornings).
 *
 * Prints: time until the last message is accepted (target: within 15
 * minutes), messages per second, D1 statements per message, 429s received,
 * duplicates and missing (both must be 0).
 */
import { env } from "cloudflare:workers";
import { it } from "vitest";
import type { Bindings } from "../../src/env.js";
import { sweep } from "../../src/workflows/sweep.js";
import { fakeResend } from "../../test/fake-resend/client.js";

const MESSAGES = 20_000;
const PER_KIND = 140;
const CRON_MS = 5 * 60_000;
const MAX_SWEEPS = 18;
const DAY = 86_400_000;
const fake = fakeResend("national-morning");

/** D1, counting the statements it is asked to run. */
let statements = 0;
const counting: D1Database = new Proxy(env.DB, {
  get(target, prop) {
    if (prop === "prepare") {
      return (sql: string) => {
        statements++;
        return target.prepare(sql);
      };
    }
    const value = Reflect.get(target, prop);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/** Every instance's workflow is alive and waiting: waking it costs nothing here. */
const liveWorkflows = {
  get: async () => ({ status: async () => ({ status: "waiting" }), sendEvent: async () => undefined }),
  create: async () => undefined,
} as unknown as Workflow;

async function seed(morning: number): Promise<void> {
  const offices: string[] = [];
  const rows: string[] = [];
  for (const kind of ["procura", "gip"]) {
    for (let i = 1; i <= PER_KIND; i++) {
      const id = `${kind}-n${String(i).padStart(3, "0")}`;
      offices.push(id);
      rows.push(`('${id}', '${kind}', 'Ufficio ${kind} ${i}', 'N${String(i % 26).padStart(2, "0")}', 'IT', '["${id}@example.org"]', 'segreteria.${id}@example.org', NULL, 'Regione ${i % 20}')`);
    }
  }
  await env.DB.prepare(`INSERT INTO offices (id, kind, name, jurisdiction, calendar, emails, fallback_email, escalates_to, region) VALUES ${rows.join(", ")}`).run();
  const stmts: D1PreparedStatement[] = [];
  for (let from = 0; from < MESSAGES; from += 200) {
    const t: Record<string, string[]> = { cases: [], events: [], timeline_instances: [], deadlines: [], notifications: [] };
    for (let k = from; k < Math.min(MESSAGES, from + 200); k++) {
      const office = offices[k % offices.length]!;
      const owner = office.replace("gip", "procura");
      const stage = office === owner ? "pm-assessment" : "gip-decision";
      // Half are reminders seven days ahead, half escalations of a term that ended at midnight.
      const reminder = k % 2 === 0;
      const due = reminder ? morning + 7 * DAY : morning - 8 * 3_600_000;
      const started = due - 30 * DAY;
      t.cases!.push(`('c${k}', '${700_000 + k}/2026', '${owner}', ${started}, 'bench')`);
      t.events!.push(`('e${k}', 'morning:${k}', 'c${k}', 'suspect.registered', '${new Date(started).toISOString()}', ${started}, '{}', 'bench', ${started})`);
      t.timeline_instances!.push(`('i${k}', 'c${k}', '362-bis', 1, 'running', 'e${k}', ${started}, NULL, 'i${k}')`);
      t.deadlines!.push(`('i${k}.${stage}', 'i${k}', '${stage}', 1, '${office}', 'e${k}', ${started}, '${new Date(due).toISOString()}', ${due}, NULL, 'open', NULL, '{"steps":[]}', NULL, NULL)`);
      const rung = reminder ? "reminder-7d" : "escalation-1";
      t.notifications!.push(`('i${k}.${stage}.${rung}', 'i${k}.${stage}', 'i${k}', '${rung}', '${reminder ? "reminder" : "escalation"}', '${office}', '["${office}@example.org"]', ${morning}, 'scheduled', 0)`);
    }
    stmts.push(
      env.DB.prepare(`INSERT INTO cases (id, ref, owner_office_id, created_at, created_by) VALUES ${t.cases!.join(", ")}`),
      env.DB.prepare(`INSERT INTO events (id, idempotency_key, case_id, type, occurred_at, occurred_at_ms, data, source, received_at) VALUES ${t.events!.join(", ")}`),
      env.DB.prepare(`INSERT INTO timeline_instances (id, case_id, timeline, version, status, started_by_event, started_at, closed_at, workflow_id) VALUES ${t.timeline_instances!.join(", ")}`),
      env.DB.prepare(`INSERT INTO deadlines (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms, due_date, status, outcome, explanation, closed_at_ms, closed_by_event) VALUES ${t.deadlines!.join(", ")}`),
      env.DB.prepare(`INSERT INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status, attempts) VALUES ${t.notifications!.join(", ")}`),
    );
  }
  for (let i = 0; i < stmts.length; i += 50) await env.DB.batch(stmts.slice(i, i + 50));
}

const minutes = (ms: number) => `${Math.floor(ms / 60_000)} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;

it(`a national morning: ${MESSAGES.toLocaleString("en-US")} messages due at 08:00`, async () => {
  await fake.reset();
  await fake.rateLimit(5);
  const morning = Date.now();
  await seed(morning);
  const bindings = { ...fake.bindings(), DB: counting, TIMELINE: liveWorkflows } as Bindings;
  const sweeps: { start: number; end: number }[] = [];
  statements = 0;
  let offset = 0;
  for (let i = 0; i < MAX_SWEEPS; i++) {
    // The fake's clock (its rate-limit window, its delivery times) moves on to the sweep's instant.
    const step = morning + i * CRON_MS - (Date.now() + offset);
    if (step > 0) {
      await fake.advanceClock(step);
      offset += step;
    }
    const start = Date.now() + offset;
    await sweep(bindings, morning + i * CRON_MS);
    sweeps.push({ start, end: Date.now() + offset });
    const left = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE status IN ('scheduled', 'sending')").first<{ n: number }>();
    if (left!.n === 0) break;
  }
  const delivered = await fake.delivered();
  const requests = await fake.requests();
  // When each message was accepted, on the cron's clock (the fake's, moved on with it).
  const accepted = delivered.map((d) => d.at - morning);
  const perKey = new Map<string, number>();
  for (const d of delivered) perKey.set(d.idempotencyKey ?? d.id, (perKey.get(d.idempotencyKey ?? d.id) ?? 0) + 1);
  const duplicates = [...perKey.values()].reduce((s, n) => s + n - 1, 0);
  // The deadlines' own messages (a digest row is the email that carried several of them).
  const sent = (await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE status = 'sent' AND kind IN ('reminder', 'escalation')").first<{ n: number }>())!.n;
  const sweeping = sweeps.reduce((s, x) => s + x.end - x.start, 0) / 1000;
  const last = Math.max(0, ...accepted);
  const done = sent === MESSAGES;
  console.log(`\nnational morning: ${MESSAGES.toLocaleString("en-US")} messages due at 08:00 for ${2 * PER_KIND} offices; fake Resend at 5 requests/s`);
  console.log(`sweeps run: ${sweeps.length} (every 5 minutes on the cron's clock), ${sweeping.toFixed(0)} s of sweeping`);
  console.log(`accepted: ${sent.toLocaleString("en-US")} of ${MESSAGES.toLocaleString("en-US")} messages in ${delivered.length - duplicates} emails; ${done ? `the last at 08:00 + ${minutes(last)}` : `after ${minutes(sweeps.length * CRON_MS)} ${(MESSAGES - sent).toLocaleString("en-US")} were still waiting`} (target: all within 15 min)`);
  console.log(`messages per second while sweeping: ${(sent / sweeping).toFixed(1)} (${(delivered.length / sweeping).toFixed(1)} emails/s); D1 statements per message: ${(statements / Math.max(1, sent)).toFixed(1)}`);
  console.log(`requests to Resend: ${requests.length}, 429s received: ${requests.filter((r) => r.status === 429).length}`);
  console.log(`duplicates: ${duplicates} (must be 0); missing: ${MESSAGES - sent} (must be 0)`);
  if (!done || last > 15 * 60_000) console.log("TARGET NOT MET");
});
