/**
 * Europe/Rome civil time without a time-zone database.
 *
 * Since 1996 Italy follows the EU rule (Directive 2000/84/EC, earlier
 * directives since 1996): summer time (UTC+02:00) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October, otherwise
 * UTC+01:00. The tz database projects the same rule into the future, so it
 * is exact over the engine's whole range (see SUPPORTED_RANGE in term.ts).
 */
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  type DayNumber,
  daysFromCivil,
  lastWeekdayOfMonth,
  packedFromDays,
  pad2,
} from "./civil.js";

export const FIRST_YEAR = 1996;
export const LAST_YEAR = 2300;

const CET = 60;
const CEST = 120;

/** Per year: the first and last day (exclusive) on which 23:59:59 is summer time. */
const dstStartDay = new Int32Array(LAST_YEAR - FIRST_YEAR + 1);
const dstEndDay = new Int32Array(LAST_YEAR - FIRST_YEAR + 1);
for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
  dstStartDay[y - FIRST_YEAR] = lastWeekdayOfMonth(y, 3, 0);
  dstEndDay[y - FIRST_YEAR] = lastWeekdayOfMonth(y, 10, 0);
}

export const FIRST_DAY: DayNumber = daysFromCivil(FIRST_YEAR, 1, 1);
export const END_DAY: DayNumber = daysFromCivil(LAST_YEAR + 1, 1, 1);

function yearIndex(utcDay: DayNumber): number {
  return ((packedFromDays(utcDay) / 10000) | 0) - FIRST_YEAR;
}

/** UTC offset in minutes in force at an instant. */
export function offsetAtInstant(ms: number): number {
  const utcDay = Math.floor(ms / MS_PER_DAY);
  const i = yearIndex(utcDay);
  // Both changes happen at 01:00 UTC.
  const start = dstStartDay[i]! * MS_PER_DAY + MS_PER_HOUR;
  const end = dstEndDay[i]! * MS_PER_DAY + MS_PER_HOUR;
  return ms >= start && ms < end ? CEST : CET;
}

/** UTC offset in minutes at 23:59:59 local time of a Rome calendar day. */
export function offsetAtEndOfDay(day: DayNumber): number {
  const i = yearIndex(day);
  return day >= dstStartDay[i]! && day < dstEndDay[i]! ? CEST : CET;
}

/** The Rome calendar day an instant falls on: 22:30Z on 12 May is 13 May. */
export function romeDay(ms: number): DayNumber {
  return Math.floor((ms + offsetAtInstant(ms) * 60_000) / MS_PER_DAY);
}

export function isInstantInRange(ms: number): boolean {
  return ms >= FIRST_DAY * MS_PER_DAY && ms < (END_DAY - 1) * MS_PER_DAY;
}

function offsetString(minutes: number): string {
  return minutes === CEST ? "+02:00" : "+01:00";
}

/** RFC 3339 with the Rome offset; milliseconds only when not zero. */
export function formatRomeInstant(ms: number): string {
  const offset = offsetAtInstant(ms);
  const local = ms + offset * 60_000;
  const day = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - day * MS_PER_DAY;
  const h = (msOfDay / MS_PER_HOUR) | 0;
  const mi = ((msOfDay % MS_PER_HOUR) / 60_000) | 0;
  const s = ((msOfDay % 60_000) / 1000) | 0;
  const frac = msOfDay % 1000;
  const p = packedFromDays(day);
  return (
    ((p / 10000) | 0) + "-" + pad2(((p / 100) | 0) % 100) + "-" + pad2(p % 100) +
    "T" + pad2(h) + ":" + pad2(mi) + ":" + pad2(s) +
    (frac === 0 ? "" : "." + String(frac).padStart(3, "0")) +
    offsetString(offset)
  );
}

/** 23:59:59 of a Rome day, RFC 3339 with its offset. */
export function formatEndOfDay(day: DayNumber): string {
  const p = packedFromDays(day);
  return (
    ((p / 10000) | 0) + "-" + pad2(((p / 100) | 0) % 100) + "-" + pad2(p % 100) +
    "T23:59:59" + offsetString(offsetAtEndOfDay(day))
  );
}

/** The instant of 23:59:59 of a Rome day, in epoch milliseconds. */
export function endOfDayInstant(day: DayNumber): number {
  return (day + 1) * MS_PER_DAY - 1000 - offsetAtEndOfDay(day) * 60_000;
}

/** "HH:MM" local time of an instant. */
export function romeClock(ms: number): string {
  const local = ms + offsetAtInstant(ms) * 60_000;
  const msOfDay = local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  return pad2((msOfDay / MS_PER_HOUR) | 0) + ":" + pad2(((msOfDay % MS_PER_HOUR) / 60_000) | 0);
}
