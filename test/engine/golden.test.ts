import { describe, expect, it } from "vitest";
import { GOLDEN } from "./golden-cases.js";
import { term } from "./helpers.js";

describe("golden cases", () => {
  it("cover at least 80 cases", () => {
    expect(GOLDEN.length).toBeGreaterThanOrEqual(80);
  });

  it.for(GOLDEN)("$from + $amount $unit ($regime $calendar $feriale): $why", (c) => {
    const t = term(c);
    expect({
      dueAt: t.dueAt,
      dueDate: t.dueDate,
      plainDate: t.plainDate,
      extendedDate: t.extendedDate,
      officeClosed: t.flags.includes("officeClosed"),
    }).toEqual({
      dueAt: c.dueAt,
      dueDate: c.dueDate,
      plainDate: c.plainDate,
      extendedDate: c.extendedDate,
      officeClosed: c.officeClosed,
    });
  });
});
