/**
 * Compiles the holiday data into one byte per day over the engine's range,
 * so that "is this day a holiday?" is a single array read on the hot path.
 */
import { type DayNumber, daysFromCivil, easterSunday, weekday } from "./civil.js";
import {
  type HolidayRule,
  type LocalCalendar,
  LOCAL_CALENDARS,
  NATIONAL_HOLIDAYS,
} from "./calendar-data.js";
import { END_DAY, FIRST_DAY, FIRST_YEAR, LAST_YEAR } from "./rome.js";

const NATIONAL = 1;
const LOCAL = 2;

export interface Calendar {
  id: string;
  city: string | undefined;
  note: string | undefined;
  /** Bit 1: national holiday (moves day terms); bit 2: local office closure. */
  readonly kinds: Uint8Array;
  /** Names of the named holidays and closures by day - FIRST_DAY (Sundays are unnamed). */
  readonly names: readonly (string | undefined)[];
}

function toDay(iso: string): DayNumber {
  return daysFromCivil(+iso.slice(0, 4), +iso.slice(5, 7), +iso.slice(8, 10));
}

function occurrences(rule: HolidayRule, year: number): DayNumber[] {
  const r = rule.rule;
  switch (r.kind) {
    case "fixed":
      return [daysFromCivil(year, r.month, r.day)];
    case "easter":
      return [easterSunday(year) + r.offsetDays];
    case "weekday": {
      const first = daysFromCivil(year, 1, 1);
      const days: DayNumber[] = [];
      for (let d = first + ((r.weekday - weekday(first) + 7) % 7); d < daysFromCivil(year + 1, 1, 1); d += 7) {
        days.push(d);
      }
      return days;
    }
  }
}

function mark(rules: readonly HolidayRule[], bit: number, kinds: Uint8Array, names: (string | undefined)[]): void {
  for (const rule of rules) {
    const from = rule.validFrom === undefined ? -Infinity : toDay(rule.validFrom);
    const to = rule.validTo === undefined ? Infinity : toDay(rule.validTo);
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      for (const d of occurrences(rule, y)) {
        if (d < from || d > to || d < FIRST_DAY || d >= END_DAY) continue;
        kinds[d - FIRST_DAY]! |= bit;
        // A named holiday on a Sunday keeps its name.
        if (rule.rule.kind !== "weekday") names[d - FIRST_DAY] ??= rule.name;
      }
    }
  }
}

function compileNational(): Calendar {
  const kinds = new Uint8Array(END_DAY - FIRST_DAY);
  const names = new Array<string | undefined>(END_DAY - FIRST_DAY).fill(undefined);
  mark(NATIONAL_HOLIDAYS, NATIONAL, kinds, names);
  return { id: "IT", city: undefined, note: undefined, kinds, names };
}

function compileLocal(national: Calendar, local: LocalCalendar): Calendar {
  const kinds = national.kinds.slice();
  // National names first: a patron day that is also a national holiday keeps the national name.
  const names = national.names.slice();
  mark(local.closures, LOCAL, kinds, names);
  return { id: local.id, city: local.city, note: local.note, kinds, names };
}

let national: Calendar | undefined;
const compiled = new Map<string, Calendar>();
const localById = new Map(LOCAL_CALENDARS.map((c) => [c.id, c]));

export const CALENDAR_IDS: readonly string[] = ["IT", ...LOCAL_CALENDARS.map((c) => c.id)];

export function isCalendarId(id: string): boolean {
  return id === "IT" || localById.has(id);
}

/** The compiled calendar, built on first use; undefined for an unknown id. */
export function getCalendar(id: string): Calendar | undefined {
  national ??= compileNational();
  if (id === "IT") return national;
  let cal = compiled.get(id);
  if (cal === undefined) {
    const local = localById.get(id);
    if (local === undefined) return undefined;
    cal = compileLocal(national, local);
    compiled.set(id, cal);
  }
  return cal;
}

/** A day that extends terms: a Sunday or a national public holiday. */
export function isPublicHoliday(cal: Calendar, day: DayNumber): boolean {
  return (cal.kinds[day - FIRST_DAY]! & NATIONAL) !== 0;
}

/** A local closure that is not also a public holiday: flags, never moves. */
export function isLocalClosure(cal: Calendar, day: DayNumber): boolean {
  return cal.kinds[day - FIRST_DAY] === LOCAL;
}

export function holidayName(cal: Calendar, day: DayNumber): string {
  return cal.names[day - FIRST_DAY] ?? "domenica";
}

export function isNamedHoliday(cal: Calendar, day: DayNumber): boolean {
  return cal.names[day - FIRST_DAY] !== undefined;
}
