/**
 * npm run fault — the fault run: signed events in a burst against `wrangler
 * dev`, the server killed mid-burst and restarted, the provider (the fake
 * Resend) down for ten minutes, deliveries with the deployment's own
 * settings (15 s timeout, retries from 1 minute doubling to 1 hour) and the
 * cron every 5 minutes. Prints what was sent, acknowledged and found, and
 * the notifications expected, delivered, duplicated and missing.
 *
 * FAULT_EVENTS, FAULT_KILL_AT, FAULT_OUTAGE_MINUTES and FAULT_SWEEP_SECONDS change the run.
 */
import { faultRun } from "../test/fault/harness.js";

const events = Number(process.env.FAULT_EVENTS ?? 600);
const report = await faultRun({
  port: 8798,
  events,
  killAt: Number(process.env.FAULT_KILL_AT ?? Math.floor(events * 0.4)),
  outageMs: Number(process.env.FAULT_OUTAGE_MINUTES ?? 10) * 60_000,
  providerDelayMs: 100,
  duplicateRounds: 5,
  concurrency: 16,
  mail: { timeoutMs: 15_000, retryBaseMs: 60_000, retryMaxMs: 3_600_000 },
  sweepEveryMs: Number(process.env.FAULT_SWEEP_SECONDS ?? 300) * 1000,
  settleMs: 60 * 60_000,
  log: (line) => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`),
});
console.log(JSON.stringify(report, null, 2));
const ok = report.notifications.duplicated === 0 && report.notifications.missing === 0 && report.events.found === report.events.acknowledged;
process.exit(ok ? 0 : 1);
