/**
 * Compiles the holiday data into one byte per day over the engine's range,
 * so that "is this day a holiday?" is an array read on the hot path; each
 * year is filled in the first time one of its days is asked about.
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
  readonly names: (string | undefined)[];
  /** 1 for each year (from FIRST_YEAR) already filled in. */
  readonly built: Uint8Array;
  /** A local calendar's own closures; undefined for the national one. */
  readonly local: LocalCalendar | undefined;
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

/** Marks the rules' occurrences in one year (those in force that day, inside the engine's range). */
function mark(rules: readonly HolidayRule[], bit: number, cal: Calendar, year: number): void {
  for (const rule of rules) {
    const from = rule.validFrom === undefined ? -Infinity : toDay(rule.validFrom);
    const to = rule.validTo === undefined ? Infinity : toDay(rule.validTo);
    for (const d of occurrences(rule, year)) {
      if (d < from || d > to || d < FIRST_DAY || d >= END_DAY) continue;
      cal.kinds[d - FIRST_DAY]! |= bit;
      // A named holiday on a Sunday keeps its name.
      if (rule.rule.kind !== "weekday") cal.names[d - FIRST_DAY] ??= rule.name;
    }
  }
}

/** The first day of each year of the range, and of the year after it. */
const YEAR_START = Int32Array.from({ length: LAST_YEAR - FIRST_YEAR + 2 }, (_, i) => daysFromCivil(FIRST_YEAR + i, 1, 1));

function yearOf(day: DayNumber): number {
  let i = Math.floor((day - FIRST_DAY) / 365.2425);
  if (YEAR_START[i]! > day) i--;
  else if (YEAR_START[i + 1]! <= day) i++;
  return FIRST_YEAR + i;
}

function blank(id: string, city: string | undefined, note: string | undefined, local: LocalCalendar | undefined): Calendar {
  const days = END_DAY - FIRST_DAY;
  return { id, city, note, kinds: new Uint8Array(days), names: new Array<string | undefined>(days).fill(undefined), built: new Uint8Array(LAST_YEAR - FIRST_YEAR + 1), local };
}

let national: Calendar | undefined;
const compiled = new Map<string, Calendar>();
const localById = new Map(LOCAL_CALENDARS.map((c) => [c.id, c]));

/**
 * Fills in the year of `day` the first time a day of it is asked about: a
 * cold start builds no table, and a request builds only the years its terms
 * cross. A local calendar's year starts from the national one's.
 */
function ensureYear(cal: Calendar, day: DayNumber): void {
  if (day < FIRST_DAY || day >= END_DAY) return;
  const year = yearOf(day);
  if (cal.built[year - FIRST_YEAR] === 1) return;
  const from = YEAR_START[year - FIRST_YEAR]! - FIRST_DAY;
  const to = YEAR_START[year - FIRST_YEAR + 1]! - FIRST_DAY;
  if (cal.local === undefined) {
    mark(NATIONAL_HOLIDAYS, NATIONAL, cal, year);
  } else {
    const nat = getCalendar("IT")!;
    ensureYear(nat, day);
    // National names first: a patron day that is also a national holiday keeps the national name.
    cal.kinds.set(nat.kinds.subarray(from, to), from);
    for (let i = from; i < to; i++) cal.names[i] = nat.names[i];
    mark(cal.local.closures, LOCAL, cal, year);
  }
  cal.built[year - FIRST_YEAR] = 1;
}

export const CALENDAR_IDS: readonly string[] = ["IT", ...LOCAL_CALENDARS.map((c) => c.id)];

export function isCalendarId(id: string): boolean {
  return id === "IT" || localById.has(id);
}

/** The calendar (its years are built as they are asked about); undefined for an unknown id. */
export function getCalendar(id: string): Calendar | undefined {
  if (id === "IT") return (national ??= blank("IT", undefined, undefined, undefined));
  let cal = compiled.get(id);
  if (cal === undefined) {
    const local = localById.get(id);
    if (local === undefined) return undefined;
    cal = blank(local.id, local.city, local.note, local);
    compiled.set(id, cal);
  }
  return cal;
}

/** A day that extends terms: a Sunday or a national public holiday. */
export function isPublicHoliday(cal: Calendar, day: DayNumber): boolean {
  ensureYear(cal, day);
  return (cal.kinds[day - FIRST_DAY]! & NATIONAL) !== 0;
}

/** A local closure that is not also a public holiday: flags, never moves. */
export function isLocalClosure(cal: Calendar, day: DayNumber): boolean {
  ensureYear(cal, day);
  return cal.kinds[day - FIRST_DAY] === LOCAL;
}

export function holidayName(cal: Calendar, day: DayNumber): string {
  ensureYear(cal, day);
  return cal.names[day - FIRST_DAY] ?? "domenica";
}

export function isNamedHoliday(cal: Calendar, day: DayNumber): boolean {
  ensureYear(cal, day);
  return cal.names[day - FIRST_DAY] !== undefined;
}
