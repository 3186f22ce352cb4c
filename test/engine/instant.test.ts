import { describe, expect, it } from "vitest";
import { parseInstant } from "../../src/engine/instant.js";
import { computeTerm } from "../../src/engine/term.js";

describe("parseInstant", () => {
  it.for([
    ["2024-03-26T10:00:00+01:00", "2024-03-26T09:00:00.000Z"],
    ["2024-03-26T10:00:00Z", "2024-03-26T10:00:00.000Z"],
    ["2024-03-26t10:00:00z", "2024-03-26T10:00:00.000Z"],
    ["2024-03-26T10:00:00.5-02:30", "2024-03-26T12:30:00.500Z"],
    ["2024-03-26T10:00:00.123456789+00:00", "2024-03-26T10:00:00.123Z"],
    ["2024-03-26T10:00:00 01:00", "2024-03-26T09:00:00.000Z"],
  ])("reads %s", ([text, iso]) => {
    const p = parseInstant(text!);
    expect(p.ok && new Date(p.ms).toISOString()).toBe(iso);
  });

  it.for([
    ["2024-03-26T10:00:00", "missing-offset"],
    ["2024-03-26", "malformed"],
    ["26/03/2024 10:00", "malformed"],
    ["26/03/2024 10:00:00", "malformed"],
    ["2024-03-26T10:00:00.+01:00", "malformed"],
    ["2024-03-26T10:00:00+01:00x", "malformed"],
    ["2024-02-30T10:00:00Z", "invalid-field"],
    ["2023-02-29T10:00:00Z", "invalid-field"],
    ["2024-13-01T10:00:00Z", "invalid-field"],
    ["2024-03-26T24:00:00Z", "invalid-field"],
    ["2024-03-26T10:60:00Z", "invalid-field"],
    ["2016-12-31T23:59:60Z", "invalid-field"],
    ["2024-03-26T10:00:00+24:00", "invalid-field"],
    ["2024-03-26T10:00:00+0100", "malformed"],
    ["", "malformed"],
  ])("refuses %s (%s)", ([text, reason]) => {
    expect(parseInstant(text!)).toMatchObject({ ok: false, reason });
  });
});

describe("computeTerm refusals are tagged", () => {
  const from = Date.UTC(2024, 0, 1);
  const base = { from, unit: "days", regime: "penal", calendar: "IT", feriale: "ignore" } as const;
  it.for([
    [{ ...base, amount: 0 }, "amount-out-of-range"],
    [{ ...base, amount: 1.5 }, "amount-out-of-range"],
    [{ ...base, amount: 36_501 }, "amount-out-of-range"],
    [{ ...base, amount: 1, calendar: "IT-XX" }, "unknown-calendar"],
    [{ ...base, amount: 1, from: Date.UTC(1995, 11, 31) }, "from-out-of-range"],
    [{ ...base, amount: 100, unit: "years", from: Date.UTC(2250, 0, 1) }, "due-out-of-range"],
  ] as const)("%o → %s", ([input, reason]) => {
    expect(computeTerm(input)).toEqual(expect.objectContaining({ ok: false, failure: expect.objectContaining({ reason }) }));
  });
});
