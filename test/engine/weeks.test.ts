import { describe, expect, it } from "vitest";
import { parseInstant } from "../../src/engine/instant.js";
import { weekTerm } from "../../src/engine/weeks.js";

const at = (s: string) => (parseInstant(s) as { ms: number }).ms;

describe("calendar weeks on the Rome clock (art. 172 co. 2 c.p.p.)", () => {
  it.for([
    ["2025-10-20T10:00:00+02:00", 1, "2025-10-27T10:00:00+01:00", true],
    ["2025-03-24T10:00:00+01:00", 1, "2025-03-31T10:00:00+02:00", true],
    ["2026-03-02T10:00:00+01:00", 1, "2026-03-09T10:00:00+01:00", false],
    ["2025-03-23T02:30:00+01:00", 1, "2025-03-30T03:30:00+02:00", true],
    ["2025-10-01T23:59:59+02:00", 4, "2025-10-29T23:59:59+01:00", true],
  ] as const)("%s + %i week(s) ends %s", ([from, weeks, due, changed]) => {
    const t = weekTerm(at(from), weeks);
    expect(t.dueAt).toBe(due);
    expect(t.flags.includes("summerTimeChange")).toBe(changed);
    expect(t.steps[0]!.citation).toBe("art. 172 co. 2 c.p.p.");
  });

  it("says the change of time does not move the boundary", () => {
    expect(weekTerm(at("2025-10-20T10:00:00+02:00"), 1).steps[0]!.text).toBe(
      "Una settimana di calendario (art. 172 co. 2 c.p.p.: calendario comune): dalle 10:00 del 20/10/2025 alle 10:00 del 27/10/2025 (ora italiana); il cambio dell'ora legale non sposta il confine della settimana",
    );
  });
});
