/**
 * The national calendar cross-checked against the date-holidays package, day
 * by day. Every difference must be one of those explained below.
 */
import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";
import { daysFromCivil, isoDate, weekday } from "../../src/engine/civil.js";
import { getCalendar, holidayName, isPublicHoliday } from "../../src/engine/holidays.js";

const EXPLAINED: Record<string, string> = Object.fromEntries(
  // 2 June 1996 was a Sunday, a holiday either way.
  [1997, 1998, 1999, 2000].map((y) => [
    `${y}-06-02`,
    "date-holidays lists 2 June in every year; from 1977 to 2000 it was moved to the first Sunday of June (L. 54/1977) and was restored as a holiday only from 2001 (L. 336/2000)",
  ]),
);

describe("national calendar vs date-holidays", () => {
  const cal = getCalendar("IT")!;
  const theirs = new Holidays("IT");

  it.for([
    [1996, 2000],
    [2001, 2040],
    [2041, 2070],
    [2071, 2100],
  ])("agrees day by day from %i to %i, except the explained differences", ([from, to]) => {
    const differences: string[] = [];
    for (let y = from!; y <= to!; y++) {
      const public_ = new Set(theirs.getHolidays(y).filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)));
      for (let d = daysFromCivil(y, 1, 1); d < daysFromCivil(y + 1, 1, 1); d++) {
        const iso = isoDate(d);
        const theirsSays = weekday(d) === 0 || public_.has(iso);
        if (theirsSays !== isPublicHoliday(cal, d)) differences.push(iso);
      }
    }
    const explainedHere = Object.keys(EXPLAINED).filter((d) => +d.slice(0, 4) >= from! && +d.slice(0, 4) <= to!);
    expect(differences).toEqual(explainedHere);
  });

  it("keeps the one-off holiday of 17 March 2011 (D.L. 5/2011) to that year", () => {
    expect(isPublicHoliday(cal, daysFromCivil(2011, 3, 17))).toBe(true);
    expect(isPublicHoliday(cal, daysFromCivil(2012, 3, 17))).toBe(false);
  });

  it("names 4 October from 2026 after San Francesco (L. 151/2025)", () => {
    expect(holidayName(cal, daysFromCivil(2027, 10, 4))).toMatch(/San Francesco/);
    expect(isPublicHoliday(cal, daysFromCivil(2025, 10, 4))).toBe(false);
    expect(isPublicHoliday(cal, daysFromCivil(2027, 10, 4))).toBe(true);
  });
});
