/**
 * Configuration that is wrong refuses to serve (security review:
 * `Number(env.X) || default` turned MAIL_RATE_PER_SECOND="0" or "abc"
 * silently into the default). One schema reads every setting at the first
 * request; a bad value answers 503 service_misconfigured naming the
 * variable, on every route, and the cron does nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SETTINGS, config, readConfig } from "../../src/config.js";
import type { Bindings } from "../../src/env.js";
import { fetchWith } from "../backbone/helpers.js";

const WRONG: [keyof typeof SETTINGS, string, RegExp][] = [
  ["MAIL_RATE_PER_SECOND", "0", /maggiore di zero/],
  ["MAIL_RATE_PER_SECOND", "abc", /un numero di richieste al secondo/],
  ["MAIL_TIMEOUT_MS", "15s", /millisecondi/],
  ["MAIL_RETRY_BASE_MS", "-5", /millisecondi/],
  ["WEBHOOK_TIMEOUT_MS", "0", /maggiore di zero/],
  ["WEBHOOK_RETRY_WINDOW_MS", "un giorno", /millisecondi/],
  ["QSTASH_CHECK_AFTER_MS", "1e3", /millisecondi/],
  ["COMPLIANCE_QUARTER_ENDS", "03-31,06-31,09-30,12-31", /quattro giorni MM-GG/],
  ["COMPLIANCE_QUARTER_ENDS", "06-30,03-31,09-30,12-31", /in ordine/],
  ["COMPLIANCE_DATA_LAG_DAYS", "quindici", /giorni/],
  ["COMPLIANCE_REPORT_LAG_DAYS", "121", /da 0 a 120/],
  ["RETENTION_YEARS", "0", /da 1 a 30/],
  ["ENABLED_BILLS", "registro-nazionale", /proposte di legge sconosciute: registro-nazionale/],
  ["APP_BASE_URL", "termini.example.org", /indirizzo http o https/],
  ["QSTASH_URL", "ftp://qstash.example.org", /indirizzo http o https/],
  ["DISTRICTS", "torino", /sigle di distretto/],
  ["D1_METER", "yes", /1, oppure non impostata/],
];

describe("the deployment's settings", () => {
  it.each(WRONG)("refuses to serve with %s=%j, naming the variable", async (name, value, reason) => {
    const res = await fetchWith({ [name]: value } as Partial<Bindings>, "/api/v1/timelines");
    expect(res.status).toBe(503);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe("service_misconfigured");
    expect(problem.detail.startsWith(`${name}: `)).toBe(true);
    expect(problem.detail).toMatch(reason);
  });

  it("takes unset or empty as the default it documents, and well-formed values as given", () => {
    const defaults = config({ ...env, MAIL_RATE_PER_SECOND: "", MAIL_TIMEOUT_MS: undefined, COMPLIANCE_QUARTER_ENDS: " " });
    expect([defaults.MAIL_RATE_PER_SECOND, defaults.MAIL_TIMEOUT_MS, defaults.COMPLIANCE_QUARTER_ENDS]).toEqual([4.5, 15_000, ["03-31", "06-30", "09-30", "12-31"]]);
    const given = config({ ...env, MAIL_RATE_PER_SECOND: "2", ENABLED_BILLS: "all", COMPLIANCE_QUARTER_ENDS: "01-31,04-30,07-31,10-31" });
    expect([given.MAIL_RATE_PER_SECOND, given.ENABLED_BILLS, given.COMPLIANCE_QUARTER_ENDS]).toEqual([2, ["all"], ["01-31", "04-30", "07-31", "10-31"]]);
  });

  it("reads the demo deployment's own settings as valid", () => {
    expect(readConfig(env).ok).toBe(true);
  });
});
