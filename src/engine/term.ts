/**
 * When a legal term ends. Pure: no I/O, no clock; the same input always
 * gives the same output. The rules are those of the domain brief §1.
 */
import { type DayNumber, addMonths, isoDate, weekday } from "./civil.js";
import { type Calendar, getCalendar, isLocalClosure, isPublicHoliday } from "./holidays.js";
import { hourTerm } from "./hours.js";
import { type FerialeException, type Regime, type RegimeRules, FERIALE_EXCEPTIONS, REGIMES } from "./regimes.js";
import { civilSaturday } from "./rule-versions.js";
import { END_DAY, FIRST_DAY, endOfDayInstant, formatEndOfDay, isInstantInRange, romeDay } from "./rome.js";
import * as S from "./steps.js";
import { addDaysSuspended, addMonthsSuspended } from "./suspension.js";

export type { Regime } from "./regimes.js";
export type { Unit } from "./steps.js";
export type { Term } from "./term-types.js";
import type { Flag, Term } from "./term-types.js";

/** Apply the August suspension, leave it out, or leave it out under a named exception of the law. */
export type Feriale = "apply" | "ignore" | FerialeException;

export interface TermInput {
  /** The trigger instant, epoch milliseconds. */
  from: number;
  amount: number;
  unit: S.Unit;
  regime: Regime;
  calendar: string;
  feriale: Feriale;
  /** Civil: the day the proceeding was instituted, which decides the Saturday rule before 5 July 2009. */
  instituted?: DayNumber;
}

export type TermFailure =
  | { reason: "unknown-calendar" }
  | { reason: "amount-out-of-range"; max: number }
  | { reason: "from-out-of-range" }
  | { reason: "due-out-of-range" }
  | { reason: "feriale-not-for-regime"; regime: Regime };

export type TermOutcome = { ok: true; term: Term } | { ok: false; failure: TermFailure };

export const MAX_AMOUNT: Readonly<Record<S.Unit, number>> = { hours: 87_600, days: 36_500, months: 1_200, years: 100 };

/** Room after the computed date for extensions (no chain of holidays is this long). */
const EXTENSION_SLACK = 31;

export function computeTerm(input: TermInput): TermOutcome {
  const cal = getCalendar(input.calendar);
  if (cal === undefined) return { ok: false, failure: { reason: "unknown-calendar" } };
  const { amount, unit } = input;
  if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT[unit]) {
    return { ok: false, failure: { reason: "amount-out-of-range", max: MAX_AMOUNT[unit] } };
  }
  if (!isInstantInRange(input.from)) return { ok: false, failure: { reason: "from-out-of-range" } };
  const rules = REGIMES[input.regime];
  const exception = input.feriale === "apply" || input.feriale === "ignore" ? undefined : FERIALE_EXCEPTIONS[input.feriale];
  if (exception !== undefined && exception.regime !== input.regime) {
    return { ok: false, failure: { reason: "feriale-not-for-regime", regime: input.regime } };
  }
  const feriale = input.feriale === "apply";
  if (unit === "hours") {
    const dueAtMs = input.from + amount * 3_600_000;
    if (!isInstantInRange(dueAtMs)) return { ok: false, failure: { reason: "due-out-of-range" } };
    return { ok: true, term: hourTerm(cal, rules, input.from, amount, feriale) };
  }
  const flags: Flag[] = [];
  const steps: S.Step[] = [];
  const start = romeDay(input.from);
  const plain =
    unit === "days"
      ? countDays(rules, start, amount, feriale, flags, steps)
      : countMonths(rules, start, unit === "years" ? amount * 12 : amount, unit, feriale, flags, steps, amount);
  if (!feriale && rules.suspensible) steps.push(S.suspensionLeftOut(input.feriale as Exclude<Feriale, "apply">));
  if (plain >= END_DAY - EXTENSION_SLACK) return { ok: false, failure: { reason: "due-out-of-range" } };
  return { ok: true, term: finish(cal, rules, plain, unit === "days" || rules.movesMonths, flags, steps, input.instituted) };
}

/**
 * A deadline the law fixes on a date ("by 30 March"): it ends at 23:59:59
 * of that day, moved past holidays as a day term would be.
 */
export function dateTerm(input: { date: DayNumber; regime: Regime; calendar: string; basis: string; setting?: string | undefined }): TermOutcome {
  const cal = getCalendar(input.calendar);
  if (cal === undefined) return { ok: false, failure: { reason: "unknown-calendar" } };
  if (input.date < FIRST_DAY || input.date >= END_DAY - EXTENSION_SLACK) return { ok: false, failure: { reason: "due-out-of-range" } };
  const steps: S.Step[] = [S.fixedDate(input.basis, input.date, input.setting)];
  // Whether art. 2963 co. 3 c.c. moves a date the law fixes is unsettled: the nominal date is due,
  // the moved one shown as a possible extension (as for the other uncertain points).
  return { ok: true, term: finish(cal, REGIMES[input.regime], input.date, "uncertain", [], steps) };
}

function countDays(
  rules: RegimeRules, start: DayNumber, amount: number, feriale: boolean, flags: Flag[], steps: S.Step[],
): DayNumber {
  const counted = start + amount;
  steps.push(S.diesAQuo(rules, start, amount, counted));
  if (!feriale) return counted;
  if (!rules.suspensible) {
    steps.push(S.suspensionNotApplicable("administrative"));
    return counted;
  }
  const s = addDaysSuspended(start, amount);
  steps.push(S.suspension(s, false));
  if (s.day !== counted) flags.push("augustSuspension");
  return s.day;
}

function countMonths(
  rules: RegimeRules, start: DayNumber, months: number, unit: S.Unit, feriale: boolean,
  flags: Flag[], steps: S.Step[], amount: number,
): DayNumber {
  const plain = addMonths(start, months);
  steps.push(S.calendarMonths(rules, start, amount, unit, plain.day));
  if (plain.clamped) {
    flags.push("monthEnd");
    steps.push(S.monthEnd(start, plain.day));
  }
  if (!feriale) return plain.day;
  if (!rules.suspensible) {
    steps.push(S.suspensionNotApplicable("administrative"));
    return plain.day;
  }
  const s = addMonthsSuspended(start, months);
  steps.push(S.suspension(s, true));
  if (s.day !== plain.day) flags.push("augustSuspension");
  return s.day;
}

/** Whether the day moves the term on: a holiday; a Saturday, civil, where the rule in force says so. */
function isExtensionDay(cal: Calendar, rules: RegimeRules, day: DayNumber, instituted: DayNumber | undefined): boolean {
  if (isPublicHoliday(cal, day)) return true;
  return rules.saturdayMoves !== undefined && weekday(day) === 6 && civilSaturday(day, instituted).moves;
}

/** Applies extension, closure flags and the end-of-day rule to a counted date. */
function finish(
  cal: Calendar, rules: RegimeRules, plain: DayNumber, moves: boolean | "uncertain", flags: Flag[], steps: S.Step[], instituted?: DayNumber,
): Term {
  let extended = plain;
  while (isExtensionDay(cal, rules, extended, instituted)) extended++;
  const due = moves === true ? extended : plain;
  // One object shape for every result (absent dates stay undefined and are
  // left out of JSON): monomorphic code for the hot path.
  const term: Term = {
    dueAt: formatEndOfDay(due), dueAtMs: endOfDayInstant(due), dueDate: isoDate(due),
    plainDate: undefined, extendedDate: undefined, flags, steps,
  };
  if (extended !== plain && moves === true) {
    term.plainDate = isoDate(plain);
    flags.push("extended");
    steps.push(S.extension(cal, rules, plain, extended, instituted));
  } else if (extended !== plain && moves === "uncertain") {
    term.extendedDate = isoDate(extended);
    flags.push("possibleExtension");
    steps.push(S.possibleExtension(cal, rules, plain, extended));
  } else if (extended !== plain) {
    term.extendedDate = isoDate(extended);
    flags.push("notExtended");
    steps.push(S.notExtended(cal, rules, plain, extended));
  } else if (rules.saturdayOrdinary !== undefined && weekday(due) === 6) {
    steps.push(S.saturdayOrdinary(rules, due));
  }
  // A civil Saturday the rule in force did not move: say which version and why.
  // (A Saturday the rule moved is no longer the due day: only a kept one is left to explain.)
  const saturday = rules.saturdayMoves !== undefined && weekday(due) === 6 ? civilSaturday(due, instituted) : undefined;
  if (saturday !== undefined && !saturday.moves) steps.push(S.civilSaturdayKept(due, saturday.version));
  if (isPublicHoliday(cal, due)) {
    flags.push("officeClosed");
  } else if (isLocalClosure(cal, due)) {
    flags.push("officeClosed");
    steps.push(S.officeClosed(cal, due));
  }
  steps.push(S.endOfDay(rules, due));
  return term;
}
