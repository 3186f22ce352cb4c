import { describe, expect, it } from "vitest";
import { getTimeline } from "../../src/timelines/catalog.js";

const RUNGS = getTimeline("362-bis")!.rungs;
import { planRungs } from "../../src/timelines/schedule.js";

const rome = (ms: number) =>
  new Date(ms).toLocaleString("sv-SE", { timeZone: "Europe/Rome" }).slice(0, 16);

describe("when reminders and escalations fire", () => {
  it("puts reminders at 08:00 Rome time, 7 and 2 days before and on the due day, and escalations after the deadline", () => {
    // Due 1 April 2026 23:59:59 (+02:00): summer time started on 29 March, between the rungs.
    const due = Date.parse("2026-04-01T23:59:59+02:00");
    const rungs = planRungs(RUNGS, Date.parse("2026-03-02T10:15:00+01:00"), due);
    expect(rungs.map((r) => [r.rung, rome(r.sendAtMs)])).toEqual([
      ["reminder-7d", "2026-03-25 08:00"],
      ["reminder-2d", "2026-03-30 08:00"],
      ["reminder-due-day", "2026-04-01 08:00"],
      ["escalation-1", "2026-04-02 00:00"],
      ["escalation-2", "2026-04-05 00:00"],
    ]);
  });

  it("keeps 00:00 Rome time for the second escalation across the change back to winter time", () => {
    const due = Date.parse("2026-10-23T23:59:59+02:00");
    const rungs = planRungs(RUNGS, Date.parse("2026-09-23T10:00:00+02:00"), due);
    expect(rome(rungs.find((r) => r.rung === "escalation-2")!.sendAtMs)).toBe("2026-10-27 00:00");
  });

  it("drops reminders that would fall before the stage started, never escalations", () => {
    const due = Date.parse("2026-04-01T23:59:59+02:00");
    const rungs = planRungs(RUNGS, Date.parse("2026-03-31T12:00:00+02:00"), due);
    expect(rungs.map((r) => r.rung)).toEqual(["reminder-due-day", "escalation-1", "escalation-2"]);
  });
});
