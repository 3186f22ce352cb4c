/**
 * Europe/Rome civil time without a time-zone database.
 *
 * Since 1996 Italy follows the EU rule (Directive 2000/84/EC, earlier
 * directives since 1996): summer time (UTC+02:00) from 01:00 UTC on the last
 * Sunday of March to 01:00 UTC on the last Sunday of October, otherwise
 * UTC+01:00. The tz database projects the same rule into the future, so it
 * is exact over the engine's whole range (FIRST_YEAR–LAST_YEAR in civil.ts).
 */
import {
  END_DAY,
  FIRST_DAY,
  FIRST_YEAR,
  LAST_YEAR,
  MS_PER_DAY,
  MS_PER_HOUR,
  type DayNumber,
  isoDate,
  italianDate,
  lastWeekdayOfMonth,
  packedFromDays,
  pad2,
} from "./civil.js";

export { END_DAY, FIRST_DAY, FIRST_YEAR, LAST_YEAR };

const CET = 60;
const CEST = 120;

// One byte per day over the range: what summer time does on that day. Both
// changes happen at 01:00 UTC (02:00 or 03:00 local), so 23:59:59 local and
// every UTC day but the two change days have a single offset.
const WINTER = 0;
const SUMMER = 1;
const TO_SUMMER = 2;
const TO_WINTER = 3;
let dstKinds: Uint8Array | undefined;

function buildDstKinds(): Uint8Array {
  const kinds = new Uint8Array(END_DAY - FIRST_DAY);
  for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
    const start = lastWeekdayOfMonth(y, 3, 0);
    const end = lastWeekdayOfMonth(y, 10, 0);
    kinds.fill(SUMMER, start - FIRST_DAY, end - FIRST_DAY);
    kinds[start - FIRST_DAY] = TO_SUMMER;
    kinds[end - FIRST_DAY] = TO_WINTER;
  }
  return kinds;
}

/** UTC offset in minutes in force at an instant. */
export function offsetAtInstant(ms: number): number {
  const utcDay = Math.floor(ms / MS_PER_DAY);
  const kind = (dstKinds ??= buildDstKinds())[utcDay - FIRST_DAY];
  if (kind === WINTER) return CET;
  if (kind === SUMMER) return CEST;
  const afterChange = ms - utcDay * MS_PER_DAY >= MS_PER_HOUR;
  return (kind === TO_SUMMER) === afterChange ? CEST : CET;
}

/** UTC offset in minutes at 23:59:59 local time of a Rome calendar day. */
function offsetAtEndOfDay(day: DayNumber): number {
  const kind = (dstKinds ??= buildDstKinds())[day - FIRST_DAY];
  return kind === SUMMER || kind === TO_SUMMER ? CEST : CET;
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
export function formatRomeInstant(ms: number, offset: number = offsetAtInstant(ms)): string {
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
  return isoDate(day) + (offsetAtEndOfDay(day) === CEST ? "T23:59:59+02:00" : "T23:59:59+01:00");
}

/** The instant of 23:59:59 of a Rome day, in epoch milliseconds. */
export function endOfDayInstant(day: DayNumber): number {
  return (day + 1) * MS_PER_DAY - 1000 - offsetAtEndOfDay(day) * 60_000;
}

/** "HH:MM" local time of an instant, given its offset. */
export function romeClock(ms: number, offset: number = offsetAtInstant(ms)): string {
  const local = ms + offset * 60_000;
  const msOfDay = local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  return pad2((msOfDay / MS_PER_HOUR) | 0) + ":" + pad2(((msOfDay % MS_PER_HOUR) / 60_000) | 0);
}

/**
 * The instant of a Rome local time (minutes after midnight) on a Rome day.
 * Summer time changes at 02:00/03:00 local, so times outside that hour are
 * never ambiguous. In the hour repeated in October the second (winter) one
 * is meant; in the hour skipped in March (02:00-02:59 does not exist) the
 * clock reads an hour later, as time-zone libraries do.
 */
export function romeLocalInstant(day: DayNumber, minutes: number): number {
  const local = day * MS_PER_DAY + minutes * 60_000;
  const winter = local - CET * 60_000;
  if (offsetAtInstant(winter) === CET) return winter;
  const summer = local - CEST * 60_000;
  return offsetAtInstant(summer) === CEST ? summer : winter;
}

/** "12/03/2026 alle 10:00", Rome time: how messages and reasons write an instant. */
export function romeWhen(ms: number): string {
  return italianDate(romeDay(ms)) + " alle " + romeClock(ms);
}
