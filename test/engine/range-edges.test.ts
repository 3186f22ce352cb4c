/**
 * The edges of what the engine counts, found by the coverage report (docs/testing.md): the years
 * it knows (1996–2300), the versions of the August suspension across them, and the instants it
 * reads. Inside the range every answer is the law's; at its edges the engine refuses, never guesses.
 */
import { describe, expect, it } from "vitest";
import { END_DAY, FIRST_YEAR, LAST_YEAR, daysFromCivil, isoDate, weekday } from "../../src/engine/civil.js";
import { getCalendar, isPublicHoliday } from "../../src/engine/holidays.js";
import { parseInstant } from "../../src/engine/instant.js";
import { ferialeVersion } from "../../src/engine/rule-versions.js";
import { computeTerm, dateTerm } from "../../src/engine/term.js";

describe("the August suspension (art. 1 L. 742/1969)", () => {
  it("has one version for every year the engine counts: to 15 September until 2014, to 31 August from 2015 (D.L. 132/2014 art. 16)", () => {
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      const v = ferialeVersion(year);
      expect([v.endMonth, v.endDay], String(year)).toEqual(year <= 2014 ? [9, 15] : [8, 31]);
    }
  });
});

describe("the range of days", () => {
  it("refuses a term that would end past the last year it knows, in hours as in days", () => {
    const lastHours = Date.parse("2300-12-30T12:00:00Z");
    expect(computeTerm({ from: lastHours, amount: 48, unit: "hours", regime: "penal", calendar: "IT", feriale: "ignore" }))
      .toEqual({ ok: false, failure: { reason: "due-out-of-range" } });
    expect(computeTerm({ from: lastHours, amount: 1, unit: "hours", regime: "penal", calendar: "IT", feriale: "ignore" }).ok).toBe(true);
  });

  it("refuses a date the law fixes outside the years it knows, before and after", () => {
    const fixed = (date: number) => dateTerm({ date, regime: "administrative", calendar: "IT", basis: "art. 1 co. 5" });
    expect(fixed(daysFromCivil(1990, 3, 30))).toEqual({ ok: false, failure: { reason: "due-out-of-range" } });
    expect(fixed(END_DAY - 1)).toEqual({ ok: false, failure: { reason: "due-out-of-range" } });
    expect(fixed(daysFromCivil(2027, 3, 30)).ok).toBe(true);
  });

  it("knows the weekday of a day before 1970, which a week or an anniversary counted from an old event can reach", () => {
    expect(weekday(daysFromCivil(1969, 12, 31))).toBe(3); // a Wednesday
    expect(weekday(daysFromCivil(1969, 12, 27))).toBe(6); // a Saturday
    expect(weekday(daysFromCivil(1970, 1, 1))).toBe(4); // a Thursday
  });

  it("still writes a date outside the years it knows, as a refusal quotes it", () => {
    expect(isoDate(daysFromCivil(1990, 3, 26))).toBe("1990-03-26");
    expect(isoDate(daysFromCivil(2301, 1, 2))).toBe("2301-01-02");
  });

  it("builds no calendar outside the years it knows: a day there is no holiday of its tables", () => {
    // The term functions refuse such days before asking (above); the calendar itself does not guess.
    const it = getCalendar("IT")!;
    expect(isPublicHoliday(it, daysFromCivil(1990, 1, 1))).toBe(false);
    expect(isPublicHoliday(it, daysFromCivil(2026, 1, 1))).toBe(true);
  });
});

describe("instants", () => {
  it.for(["2024-03-26T10:00:00Zx", "2024-03-26T10:00:00X", "2024-03-26T10:00:00#01:00"])("refuses %s as malformed", (text) => {
    expect(parseInstant(text)).toMatchObject({ ok: false, reason: "malformed" });
  });
});
