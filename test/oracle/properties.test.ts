import Holidays from "date-holidays";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../budget.js";
import { computeTerm, type Feriale, type Regime, type Term, type Unit } from "../../src/engine/term.js";
import { CALENDAR_IDS } from "../../src/engine/holidays.js";

const national = new Holidays("IT");
/** Independent oracle: date-holidays' public holidays plus every Sunday. */
function isItalianHoliday(isoDate: string): boolean {
  const noon = new Date(`${isoDate}T12:00:00+01:00`);
  if (noon.getUTCDay() === 0) return true;
  const found = national.isHoliday(noon);
  return Array.isArray(found) && found.some((h) => h.type === "public");
}

const instant = (fromYear: number, toYear: number) =>
  fc.integer({ min: Date.UTC(fromYear, 0, 1), max: Date.UTC(toYear, 11, 31) });
const regime = fc.constantFrom<Regime>("penal", "civil", "administrative");
const feriale = fc.constantFrom<Feriale>("apply", "ignore");
const calendar = fc.constantFrom(...CALENDAR_IDS);
const unit = fc.constantFrom<Unit>("hours", "days", "months", "years");
const amountFor = (u: Unit) =>
  fc.integer({ min: 1, max: { hours: 2000, days: 3000, months: 120, years: 10 }[u] });

function compute(from: number, amount: number, u: Unit, r: Regime, cal: string, f: Feriale): Term {
  const outcome = computeTerm({ from, amount, unit: u, regime: r, calendar: cal, feriale: f });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.failure));
  return outcome.term;
}

const romeOffset = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", timeZoneName: "longOffset" });

describe("properties", () => {
  it("a penal day term never ends on a public holiday", () => {
    fc.assert(
      fc.property(instant(2001, 2099), fc.integer({ min: 1, max: 3650 }), calendar, feriale, (from, n, cal, f) => {
        const t = compute(from, n, "days", "penal", cal, f);
        expect(isItalianHoliday(t.dueDate!)).toBe(false);
      }),
      { numRuns: runs(3000) },
    );
  });

  it("dueAt is never before the trigger", () => {
    fc.assert(
      fc.property(
        instant(1996, 2199),
        unit.chain((u) => fc.tuple(fc.constant(u), amountFor(u))),
        regime, calendar, feriale,
        (from, [u, n], r, cal, f) => {
          expect(Date.parse(compute(from, n, u, r, cal, f).dueAt)).toBeGreaterThan(from);
        },
      ),
      { numRuns: runs(3000) },
    );
  });

  it("more days never give an earlier date", () => {
    fc.assert(
      fc.property(
        instant(1996, 2199), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 400 }), regime, calendar, feriale,
        (from, n, extra, r, cal, f) => {
          const shorter = compute(from, n, "days", r, cal, f);
          const longer = compute(from, n + extra, "days", r, cal, f);
          expect(longer.dueDate! >= shorter.dueDate!).toBe(true);
        },
      ),
      { numRuns: runs(3000) },
    );
  });

  it("more months never give an earlier date", () => {
    fc.assert(
      fc.property(instant(1996, 2199), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 24 }), regime, feriale,
        (from, n, extra, r, f) => {
          expect(compute(from, n + extra, "months", r, "IT", f).dueDate! >= compute(from, n, "months", r, "IT", f).dueDate!).toBe(true);
        }),
      { numRuns: runs(2000) },
    );
  });

  it("a civil term in days, months or years expiring after 4 July 2009 never ends on a Saturday or a holiday", () => {
    fc.assert(
      fc.property(instant(2009, 2099), fc.constantFrom<Unit>("days", "months", "years"), fc.integer({ min: 1, max: 3650 }), feriale, (from, u, n, f) => {
        const due = compute(from, u === "days" ? n : u === "months" ? 1 + (n % 120) : 1 + (n % 10), u, "civil", "IT", f).dueDate!;
        fc.pre(due > "2009-07-04");
        expect(new Date(`${due}T12:00:00Z`).getUTCDay()).not.toBe(6);
        expect(isItalianHoliday(due)).toBe(false);
      }),
      { numRuns: runs(2000) },
    );
  });

  it("an hour term is exact elapsed time, whatever the regime or holidays", () => {
    fc.assert(
      fc.property(instant(1996, 2199), fc.integer({ min: 1, max: 87_600 }), regime, calendar, feriale, (from, n, r, cal, f) => {
        expect(Date.parse(compute(from, n, "hours", r, cal, f).dueAt) - from).toBe(n * 3_600_000);
      }),
      { numRuns: runs(3000) },
    );
  });

  it("dueAt carries the offset the tz database gives for Europe/Rome", () => {
    fc.assert(
      fc.property(instant(1996, 2199), unit.chain((u) => fc.tuple(fc.constant(u), amountFor(u))), regime,
        (from, [u, n], r) => {
          const t = compute(from, n, u, r, "IT", "ignore");
          const gmt = romeOffset.formatToParts(new Date(Date.parse(t.dueAt))).find((p) => p.type === "timeZoneName")!.value;
          expect(t.dueAt.slice(-6)).toBe(gmt.replace("GMT", ""));
        }),
      { numRuns: runs(3000) },
    );
  });

  it("day terms end at 23:59:59 of dueDate, Rome time", () => {
    fc.assert(
      fc.property(instant(1996, 2199), fc.integer({ min: 1, max: 3000 }), regime, (from, n, r) => {
        const t = compute(from, n, "days", r, "IT", "ignore");
        expect(t.dueAt.slice(0, 19)).toBe(`${t.dueDate}T23:59:59`);
      }),
      { numRuns: runs(1000) },
    );
  });
});
