/** A stage's deadline: a term counted by the engine, or a date the law fixes (given by the starting event). */
import { daysFromCivil } from "../engine/civil.js";
import { type TermOutcome, computeTerm, dateTerm } from "../engine/term.js";
import { weekTerm } from "../engine/weeks.js";
import { anniversaryTerm } from "../engine/anniversary.js";
import { calendarYearTerm } from "../engine/calendar-period.js";
import type { StageDefinition } from "./definition.js";

export type StageTermOutcome = TermOutcome | { ok: false; failure: { reason: "missing-due-date" | "missing-judged-length" } };

/** What the starting events carry for a term they set: a date the law fixes, or a length a judgment sets (months). */
export interface Given {
  dueDate?: string | undefined;
  months?: number | undefined;
}

export function stageTerm(stage: StageDefinition, fromMs: number, given: Given, calendar: string): StageTermOutcome {
  const t = stage.term;
  const dueDate = given.dueDate;
  if ("judged" in t) {
    const m = given.months;
    if (m === undefined || !Number.isInteger(m) || m < 1) return { ok: false, failure: { reason: "missing-judged-length" } };
    return { ok: true, term: anniversaryTerm(fromMs, m, "months", "lapse") };
  }
  if ("anniversary" in t) return { ok: true, term: anniversaryTerm(fromMs, t.amount, t.unit, t.anniversary) };
  if ("regime" in t && "amount" in t) return computeTerm({ from: fromMs, ...t, calendar });
  if ("weeks" in t) return { ok: true, term: weekTerm(fromMs, t.weeks) };
  if ("per" in t) return { ok: true, term: calendarYearTerm(fromMs, t.why) };
  const m = dueDate === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(dueDate);
  if (m === null) return { ok: false, failure: { reason: "missing-due-date" } };
  return dateTerm({ date: daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])), regime: t.regime, calendar, basis: stage.basis, setting: t.setting });
}

/** Hour terms and calendar weeks end at their exact instant; every other term at 23:59:59 of its day. */
export const endsAtExactInstant = (stage: StageDefinition): boolean =>
  ("unit" in stage.term && stage.term.unit === "hours") || "weeks" in stage.term;
