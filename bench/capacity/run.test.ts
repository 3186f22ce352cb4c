/**
 * npm run bench:capacity — the figures behind the capacity model in docs/performance.md,
 * measured on a fresh D1 (workerd) through the real code:
 * - a known mix of cases is ingested through the signed webhook: every case
 *   a 362-bis story (registration, request for measures — one in five after
 *   the 30 days — and decision), three in ten also an urgent removal from
 *   the home (384-bis: removal, validation requested, validation decided);
 * - the database's size before and after (D1's own `size_after`), hence
 *   bytes per case and per event, indexes included;
 * - rows read and written per event (the D1 meter of the ingestion route);
 * - every reminder and escalation the mix fires, delivered by the cron
 *   sweep (to the fake Resend), stepped across the cases' life: rows per
 *   sent message;
 * - a regional report generated from the counters: rows per report.
 * A run in which any event is refused or any message is left unsent is invalid.
 * The projections (per year, per district and national) are printed from
 * these figures and the stated inputs (CAPACITY_CASES_PER_YEAR, CAPACITY_BUSIEST_SHARE).
 * BENCH_LAYOUT=districts runs the same mix split between Turin's and Milan's
 * databases (wrangler.jsonc's layout), and prints each database's share.
 */
import { env } from "cloudflare:workers";
import { it } from "vitest";
import { sign } from "../../src/auth/standard-webhooks.js";
import { createApp } from "../../src/app.js";
import type { Bindings } from "../../src/env.js";
import { meter, newTally } from "../../src/http/d1-meter.js";
import { sweep } from "../../src/workflows/sweep.js";
import { DEMO_SECRET, MILANO_SECRET, idleWorkflows } from "../../test/backbone/helpers.js";
import { fakeResend } from "../../test/fake-resend/client.js";
import { project } from "./model.js";

/** The shell's BENCH_* and CAPACITY_* variables reach workerd as bindings (vitest.config.ts). */
const inputs = env as unknown as Record<string, string | undefined>;
const CASES = Number(inputs.BENCH_CASES ?? 300);
const DAY = 86_400_000;
const fake = fakeResend("capacity");
const app = createApp();
const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;

const districts = (inputs.DISTRICTS ?? "") !== "";
/** The databases the layout uses: the central one, and Turin's and Milan's in the district layout. */
const databases: [string, D1Database][] = districts ? [["DB", env.DB], ["DISTRICT_TO", env.DISTRICT_TO], ["DISTRICT_MI", env.DISTRICT_MI]] : [["DB", env.DB]];
const sizeOf = async (d1: D1Database) => (await d1.prepare("SELECT 1").run()).meta.size_after ?? 0;
const sizes = async () => Promise.all(databases.map(([, d1]) => sizeOf(d1)));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** A count over every database of the layout. */
const countAll = async (sql: string, ...args: unknown[]) => sum(await Promise.all(databases.map(async ([, d1]) => (await d1.prepare(sql).bind(...args).first<{ n: number }>())!.n)));

/** One signed webhook through the app, metered: its D1 rows. */
async function post(bindings: Bindings, body: Record<string, unknown>, secret: string): Promise<{ status: number; read: number; written: number; queries: number }> {
  const text = JSON.stringify(body);
  const id = `msg_${crypto.randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const res = await app.fetch(new Request("http://termini.test/webhooks/events", {
    method: "POST", body: text,
    headers: { "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": await sign(secret, id, ts, text), "X-D1-Meter": "1" },
  }), bindings, ctx);
  await res.arrayBuffer();
  const h = (n: string) => Number(res.headers.get(n) ?? 0);
  return { status: res.status, read: h("X-D1-Rows-Read"), written: h("X-D1-Rows-Written"), queries: h("X-D1-Queries") };
}

const iso = (ms: number) => new Date(ms).toISOString();

it(`capacity: ${CASES} cases of the mix`, async () => {
  const spy = await idleWorkflows();
  await fake.reset();
  const bindings = { ...env, ...fake.bindings(), D1_METER: "1" } as unknown as Bindings;
  // The mix starts 40 days ago, so that its reminders and escalations are all due by now.
  const start = Date.now() - 40 * DAY;
  const before = await sizes();
  const ingest = { events: 0, read: 0, written: 0, queries: 0, refused: new Map<number, number>() };
  const record = async (body: Record<string, unknown>, secret: string) => {
    const r = await post(bindings, body, secret);
    ingest.events++;
    ingest.read += r.read;
    ingest.written += r.written;
    ingest.queries += r.queries;
    if (r.status !== 201) ingest.refused.set(r.status, (ingest.refused.get(r.status) ?? 0) + 1);
  };
  // The mix's events in the order they happen; the cron's sweep runs between them, once a day, as time passes.
  const plan: { at: number; body: Record<string, unknown>; secret: string }[] = [];
  for (let i = 0; i < CASES; i++) {
    const caseRef = `${900_000 + i}/2026`;
    const t = start + (i % 10) * 3_600_000;
    // In the district layout, every other case is Milan's, sent by Milan's system.
    const milan = districts && i % 2 === 1;
    const secret = milan ? MILANO_SECRET : DEMO_SECRET;
    const at = (ms: number, type: string, data: Record<string, unknown> = {}) => plan.push({ at: ms, body: { type, caseRef, occurredAt: iso(ms), data }, secret });
    at(t, "suspect.registered", { jurisdiction: milan ? "MI" : "TO" });
    if (i % 10 < 3) {
      at(t + 3_600_000, "removal.executed");
      at(t + 20 * 3_600_000, "validation.requested");
      at(t + 60 * 3_600_000, "validation.decided");
    }
    // One in five late: the request comes after the 30 days, past the escalations.
    at(t + (i % 5 === 0 ? 33 : 25) * DAY, "measures.requested");
    at(t + 36 * DAY, "measures.decided");
  }
  plan.sort((a, b) => a.at - b.at);
  const tally = newTally();
  let sent = 0;
  for (let day = start; day <= Date.now(); day += DAY) {
    const metered = Object.fromEntries(databases.map(([b, d1]) => [b, meter(d1, tally)]));
    sent += (await sweep({ ...bindings, ...metered } as Bindings, day)).sent;
    while (plan.length > 0 && plan[0]!.at < day + DAY) {
      const next = plan.shift()!;
      await record(next.body, next.secret);
    }
  }
  const unsent = await countAll("SELECT count(*) AS n FROM notifications WHERE status IN ('scheduled', 'sending', 'digested') AND send_at_ms <= ? AND kind <> 'roll'", Date.now() - DAY);
  const after = await sizes();
  const grown = after.map((a, i) => a - before[i]!);
  // Messages: every reminder and escalation sent, alone or in a morning digest (sent: the emails).
  const messages = await countAll("SELECT count(*) AS n FROM notifications WHERE status = 'sent' AND kind IN ('reminder', 'escalation')");

  const reportTally = newTally();
  const meteredApi = async () => {
    const res = await app.fetch(new Request("http://termini.test/api/v1/reports/regional/2026/generate", {
      method: "POST", headers: { Authorization: "Bearer termini-local-regione-token", "X-D1-Meter": "1" },
    }), bindings, ctx);
    reportTally.read += Number(res.headers.get("X-D1-Rows-Read") ?? 0);
    reportTally.written += Number(res.headers.get("X-D1-Rows-Written") ?? 0);
    return res.status;
  };
  const reportStatus = await meteredApi();
  const timelines = await countAll("SELECT count(*) AS n FROM timeline_instances");
  const casesIn = await Promise.all(databases.map(async ([, d1]) => (await d1.prepare("SELECT count(*) AS n FROM cases").first<{ n: number }>())!.n));
  await spy.dispose();

  const m = {
    cases: CASES, events: ingest.events, timelines, messages,
    bytesPerCase: sum(grown) / CASES, bytesPerEvent: sum(grown) / ingest.events,
    readPerEvent: ingest.read / ingest.events, writtenPerEvent: ingest.written / ingest.events, statementsPerEvent: ingest.queries / ingest.events,
    readPerMessage: tally.read / Math.max(messages, 1), writtenPerMessage: tally.written / Math.max(messages, 1), statementsPerMessage: tally.queries / Math.max(messages, 1),
    reportRead: reportTally.read, reportWritten: reportTally.written,
  };
  console.log(`\ncapacity: ${m.cases} cases, ${m.events} events, ${m.timelines} timelines, ${m.messages} messages sent in ${sent} emails (measured on a fresh D1, indexes included)`);
  console.log(`stored:   ${Math.round(m.bytesPerCase)} bytes per case, ${Math.round(m.bytesPerEvent)} per event`);
  console.log(`ingest:   ${m.readPerEvent.toFixed(1)} rows read, ${m.writtenPerEvent.toFixed(1)} rows written, ${m.statementsPerEvent.toFixed(1)} statements per event`);
  console.log(`messages: ${m.readPerMessage.toFixed(1)} rows read, ${m.writtenPerMessage.toFixed(1)} rows written, ${m.statementsPerMessage.toFixed(1)} statements per message sent (the sweep, daily across the cases' life)`);
  console.log(`report:   ${m.reportRead} rows read, ${m.reportWritten} written for one regional report`);
  if (districts) {
    console.log(`layout:   ${databases.map(([b], i) => `${b} ${casesIn[i]} cases, ${Math.round(grown[i]! / 1024)} KiB grown`).join("; ")} (the central database: the directory's changes only)`);
  }
  console.log(project(m, { ...inputs, RETENTION_YEARS: env.RETENTION_YEARS }));
  const invalid = [...ingest.refused].map(([s, n]) => `${n}× HTTP ${s}`);
  if (messages === 0) invalid.push("no message sent");
  if (unsent > 0) invalid.push(`${unsent} messages due and unsent`);
  if (reportStatus !== 201) invalid.push(`report generation answered ${reportStatus}`);
  if (invalid.length > 0) throw new Error(`INVALID RUN: ${invalid.join(", ")}`);
});
