/**
 * The delivery promise under a killed process and a provider outage, on a
 * real `wrangler dev` in wrangler.jsonc's district layout (see harness.ts):
 * half the events Turin's and half Milan's, each in its district's database;
 * every event acknowledged is found, every notification is delivered exactly
 * once, and the audit log and the report counters count each once. `npm run
 * fault` runs the same in one database, with a ten-minute outage and more events.
 */
import { expect, it } from "vitest";
import { faultRun } from "./harness.js";

it("loses nothing and doubles nothing when the server is killed mid-burst and the provider is down", async () => {
  const started = Date.now();
  const report = await faultRun({
    port: 8796, events: 40, killAt: 15, outageMs: 8_000, providerDelayMs: 300, duplicateRounds: 3, concurrency: 8,
    mail: { timeoutMs: 1_000, retryBaseMs: 1_000, retryMaxMs: 4_000 },
    sweepEveryMs: 1_500, settleMs: 240_000, log: (line) => console.log(`[fault] ${((Date.now() - started) / 1000).toFixed(1)} s ${line}`), districts: true,
  });
  console.log(`[fault] ${JSON.stringify(report)}`);
  expect(report.duplicates).toEqual({ rounds: 3, allFirst: 3 });
  expect(report.events).toMatchObject({ acknowledged: 40, found: 40 });
  // Half the burst Milan's; the duplicate rounds' three cases Turin's; none in the central database.
  expect(report.cases).toEqual({ DB: 0, DISTRICT_TO: 23, DISTRICT_MI: 20 });
  expect(report.provider.refused).toBeGreaterThan(0);
  // Two escalations for each of the 40 events and of the 3 duplicate rounds' events.
  expect(report.notifications).toEqual({ expected: 86, delivered: 86, duplicated: 0, missing: 0 });
  expect(report.audit.sent).toBe(86);
  expect(report.counters.escalated).toBe(86);
}, 600_000);
