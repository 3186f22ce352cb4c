/**
 * Dates whose treatment the law leaves open, shown as the product shows the
 * other uncertain points (alert on the earlier), and the calendars of every
 * Court of Appeal seat.
 */
import { describe, expect, it } from "vitest";
import { daysFromCivil } from "../../src/engine/civil.js";
import { calendarYearTerm } from "../../src/engine/calendar-period.js";
import { LOCAL_CALENDARS } from "../../src/engine/calendar-data.js";
import { dateTerm } from "../../src/engine/term.js";

const fixed = (y: number, m: number, d: number) => {
  const r = dateTerm({ date: daysFromCivil(y, m, d), regime: "administrative", calendar: "IT", basis: "proposta di legge del 2020 (Senato), art. 1 co. 5" });
  if (!r.ok) throw new Error(r.failure.reason);
  return r.term;
};

describe("a date the law fixes that falls on a Sunday or holiday (art. 2963 co. 3 c.c., unsettled for fixed dates)", () => {
  it("is due on the nominal date, with the moved date shown as a possible extension", () => {
    // 30 March 2025 is a Sunday.
    const t = fixed(2025, 3, 30);
    expect([t.dueDate, t.dueAt, t.extendedDate, t.plainDate]).toEqual(["2025-03-30", "2025-03-30T23:59:59+02:00", "2025-03-31", undefined]);
    expect(t.flags).toContain("possibleExtension");
    const step = t.steps.find((s) => s.rule === "possible-extension")!;
    expect(step.text).toContain("in via prudenziale la scadenza è il 30/03/2025, e il 31/03/2025 è indicato come possibile proroga");
    // 31 December 2028 is a Sunday too; 2 January 2029 would follow (1 January a holiday).
    expect([fixed(2028, 12, 31).dueDate, fixed(2028, 12, 31).extendedDate]).toEqual(["2028-12-31", "2029-01-02"]);
  });

  it("says nothing of an extension when the date is a working day", () => {
    const t = fixed(2027, 3, 30);
    expect([t.dueDate, t.extendedDate, t.flags.includes("possibleExtension")]).toEqual(["2027-03-30", undefined, false]);
  });
});

describe("«una volta all'anno»: per calendar year", () => {
  it("is due at the last instant of the year of the start, on the Rome clock, never moved", () => {
    const t = calendarYearTerm(Date.parse("2026-01-10T10:00:00+01:00"), "«una volta all'anno»");
    expect([t.dueDate, t.dueAt]).toEqual(["2026-12-31", "2026-12-31T23:59:59+01:00"]);
    // The year is Rome's: 23:30 UTC on 31 December is already 1 January in Rome, 22:30 UTC is not.
    expect(calendarYearTerm(Date.parse("2026-12-31T23:30:00Z"), "x").dueDate).toBe("2027-12-31");
    expect(calendarYearTerm(Date.parse("2026-12-31T22:30:00Z"), "x").dueDate).toBe("2026-12-31");
  });
});

describe("every Court of Appeal seat has its patron saint's day (offices closed, terms not moved)", () => {
  it("has the 26 seats, L'Aquila's San Massimo on 10 June among them", () => {
    const seats = ["Ancona", "Bari", "Bologna", "Brescia", "Cagliari", "Caltanissetta", "Campobasso", "Catania", "Catanzaro", "Firenze", "Genova",
      "L'Aquila", "Lecce", "Messina", "Milano", "Napoli", "Palermo", "Perugia", "Potenza", "Reggio Calabria", "Roma", "Salerno", "Torino", "Trento",
      "Trieste", "Venezia"];
    expect(LOCAL_CALENDARS.map((c) => c.city).sort()).toEqual(seats.sort());
    for (const c of LOCAL_CALENDARS) expect([c.city, c.closures.length > 0]).toEqual([c.city, true]);
    expect(LOCAL_CALENDARS.find((c) => c.id === "IT-AQ")!.closures[0]).toMatchObject({ name: "San Massimo", rule: { kind: "fixed", month: 6, day: 10 } });
  });
});
