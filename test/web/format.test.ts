/** How dates and closeness read on the pages: pure, with a fixed now. */
import { describe, expect, it } from "vitest";
import { closeness, romeDateTime } from "../../src/web/format.js";

const at = (s: string) => Date.parse(s);
const NOW = at("2026-11-23T10:00:00+01:00");

describe("closeness, as an office reads it", () => {
  it.for([
    ["2026-10-20T23:59:59+02:00", false, "scaduta da 34 giorni"],
    ["2026-11-22T23:59:59+01:00", false, "scaduta da 1 giorno"],
    ["2026-11-23T23:59:59+01:00", false, "scade oggi alle 23:59"],
    ["2026-11-24T23:59:59+01:00", false, "domani"],
    ["2026-11-28T23:59:59+01:00", false, "tra 5 giorni"],
    ["2026-11-23T13:20:00+01:00", true, "tra 3 ore"],
    ["2026-11-23T10:30:00+01:00", true, "tra meno di un'ora"],
    ["2026-11-23T07:30:00+01:00", true, "scaduta da 2 ore"],
    ["2026-11-24T09:00:00+01:00", true, "tra 23 ore"],
    ["2026-11-24T16:00:00+01:00", true, "domani alle 16:00"],
    // An hour term passed 66 hours ago: in hours, never "da 3 giorni" (nor 46 hours "da 2 giorni").
    ["2026-11-20T16:00:00+01:00", true, "scaduta da 66 ore"],
    ["2026-11-21T12:00:00+01:00", true, "scaduta da 46 ore"],
    ["2026-11-19T12:00:00+01:00", true, "scaduta da 4 giorni"],
  ] as const)("%s (exact instant: %s) is «%s»", ([due, exact, text]) => {
    expect(closeness(at(due), NOW, exact)).toBe(text);
  });
});

describe("dates", () => {
  it("have four-digit years and Rome time", () => {
    expect(romeDateTime("2026-03-29T19:00:00+02:00")).toBe("29/03/2026 19:00");
    expect(romeDateTime(at("2026-12-31T23:30:00Z"))).toBe("01/01/2027 00:30");
    expect(romeDateTime(null)).toBe("—");
  });
});
