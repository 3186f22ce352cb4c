/**
 * Differential test: the engine against the straightforward Luxon +
 * date-holidays implementation of the same rules (bench/baseline.ts), on
 * random inputs where date-holidays' data is authoritative (2001–2099).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runs } from "../budget.js";
import { CALENDAR_IDS } from "../../src/engine/holidays.js";
import { term } from "../engine/helpers.js";
import { type BaselineInput, baselineTerm } from "../../bench/baseline.js";
import { mix } from "../../bench/mix.js";

function engine(i: BaselineInput) {
  const { dueAt, dueDate, plainDate, extendedDate, flags } = term(i);
  return { dueAt, dueDate, plainDate, extendedDate, officeClosed: flags.includes("officeClosed") };
}

function baseline(i: BaselineInput) {
  const { dueAt, dueDate, plainDate, extendedDate, flags } = baselineTerm(i);
  return { dueAt, dueDate, plainDate, extendedDate, officeClosed: flags.includes("officeClosed") };
}

const offsets = fc.constantFrom("Z", "+01:00", "+02:00", "-05:00", "+05:30");
const input = fc
  .record({
    ms: fc.integer({ min: Date.UTC(2001, 0, 2), max: Date.UTC(2095, 11, 31) }),
    offset: offsets,
    unit: fc.constantFrom<BaselineInput["unit"]>("hours", "days", "months", "years"),
    regime: fc.constantFrom<BaselineInput["regime"]>("penal", "civil", "administrative"),
    calendar: fc.constantFrom(...CALENDAR_IDS),
    feriale: fc.constantFrom<BaselineInput["feriale"]>("apply", "ignore"),
    n: fc.integer({ min: 1, max: 400 }),
  })
  .map(({ ms, offset, unit, n, ...rest }): BaselineInput => {
    const shift = offset === "Z" ? 0 : (offset[0] === "-" ? -1 : 1) * (+offset.slice(1, 3) * 60 + +offset.slice(4)) * 60_000;
    const from = new Date(ms + shift).toISOString().slice(0, 19) + offset;
    const amount = unit === "years" ? 1 + (n % 5) : unit === "months" ? 1 + (n % 36) : n;
    return { ...rest, from, unit, amount };
  });

describe("engine vs Luxon + date-holidays", () => {
  it("agree on random inputs", () => {
    fc.assert(fc.property(input, (i) => { expect(engine(i)).toEqual(baseline(i)); }), { numRuns: runs(1500) });
  });

  it("agree on the benchmark's realistic mix", () => {
    for (const i of mix(runs(1500), 7)) expect(engine(i), JSON.stringify(i)).toEqual(baseline(i));
  });
});
