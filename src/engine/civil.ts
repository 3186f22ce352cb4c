/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since
 * 1970-01-01). Allocation-free: dates travel as plain integers, because the
 * engine runs these functions millions of times a second.
 *
 * Algorithms: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms".
 */

export type DayNumber = number;

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;

export function daysFromCivil(y: number, m: number, d: number): DayNumber {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = ((153 * mp + 2) / 5 | 0) + d - 1;
  const doe = yoe * 365 + (yoe / 4 | 0) - (yoe / 100 | 0) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day number packed as yyyymmdd (e.g. 20240425), computed. */
function computePackedFromDays(z: DayNumber): number {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = ((doe - (doe / 1460 | 0) + (doe / 36524 | 0) - (doe / 146096 | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + (yoe / 4 | 0) - (yoe / 100 | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const d = doy - ((153 * mp + 2) / 5 | 0) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 10000 + m * 100 + d;
}

/**
 * The engine's range: from 1996, when Italy's summer-time rule became the
 * one rome.ts encodes, to the end of 2300.
 */
export const FIRST_YEAR = 1996;
export const LAST_YEAR = 2300;
export const FIRST_DAY: DayNumber = daysFromCivil(FIRST_YEAR, 1, 1);
export const END_DAY: DayNumber = daysFromCivil(LAST_YEAR + 1, 1, 1);

// Over that bounded range the packed date of every day is precomputed once:
// a typed-array read instead of ~20 integer ops.
const TABLE_FIRST = FIRST_DAY;
const TABLE_END = END_DAY;
let table: Int32Array | undefined;

function buildTable(): Int32Array {
  const t = new Int32Array(TABLE_END - TABLE_FIRST);
  for (let z = TABLE_FIRST; z < TABLE_END; z++) t[z - TABLE_FIRST] = computePackedFromDays(z);
  return t;
}

/** The date of a day number packed as yyyymmdd (e.g. 20240425). */
export function packedFromDays(z: DayNumber): number {
  if (z >= TABLE_FIRST && z < TABLE_END) return (table ??= buildTable())[z - TABLE_FIRST]!;
  return computePackedFromDays(z);
}

export const yearOf = (z: DayNumber): number => (packedFromDays(z) / 10000) | 0;

/**
 * 0 = Sunday … 6 = Saturday. Day 0 is 1 January 1970, a Thursday. The terms count from 1996, but a
 * week or an anniversary is counted from whatever date an event gives, earlier ones included.
 */
export function weekday(z: DayNumber): number {
  const w = (z + 4) % 7;
  return w < 0 ? w + 7 : w;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_LENGTHS[m - 1]!;
}

/** Easter Sunday (Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(y: number): DayNumber {
  const a = y % 19;
  const b = (y / 100) | 0;
  const c = y % 100;
  const d = (b / 4) | 0;
  const e = b % 4;
  const f = ((b + 8) / 25) | 0;
  const g = ((b - f + 1) / 3) | 0;
  const h = (19 * a + b - d - g + 15) % 30;
  const i = (c / 4) | 0;
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = ((a + 11 * h + 22 * l) / 451) | 0;
  const month = ((h + l - 7 * m + 114) / 31) | 0;
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(y, month, day);
}

/** The last given weekday (0 = Sunday) of a month. */
export function lastWeekdayOfMonth(y: number, m: number, wd: number): DayNumber {
  const last = daysFromCivil(y, m, daysInMonth(y, m));
  return last - ((weekday(last) - wd + 7) % 7);
}

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);
export const pad2 = (n: number): string => PAD2[n]!;

// Formatted dates are interned: a deadline engine formats the same few
// thousand days over and over.
const isoCache: string[] = [];
const italianCache: string[] = [];

/** YYYY-MM-DD, for years 1000–9999. */
export function isoDate(z: DayNumber): string {
  const i = z - TABLE_FIRST;
  const hit = isoCache[i];
  if (hit !== undefined) return hit;
  const p = packedFromDays(z);
  const text = ((p / 10000) | 0) + "-" + PAD2[((p / 100) | 0) % 100] + "-" + PAD2[p % 100];
  if (i >= 0 && i < TABLE_END - TABLE_FIRST) isoCache[i] = text;
  return text;
}

/** DD/MM/YYYY, the form Italian users read. */
export function italianDate(z: DayNumber): string {
  const i = z - TABLE_FIRST;
  const hit = italianCache[i];
  if (hit !== undefined) return hit;
  const p = packedFromDays(z);
  const text = PAD2[p % 100] + "/" + PAD2[((p / 100) | 0) % 100] + "/" + ((p / 10000) | 0);
  if (i >= 0 && i < TABLE_END - TABLE_FIRST) italianCache[i] = text;
  return text;
}

/**
 * The same day number `months` later; where that day does not exist, the
 * last day of that month (art. 2963 co. 4–5 c.c.). `clamped` tells which.
 */
export function addMonths(z: DayNumber, months: number): { day: DayNumber; clamped: boolean } {
  const p = packedFromDays(z);
  const d = p % 100;
  const total = ((p / 10000) | 0) * 12 + (((p / 100) | 0) % 100) - 1 + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const last = daysInMonth(y, m);
  return d > last
    ? { day: daysFromCivil(y, m, last), clamped: true }
    : { day: daysFromCivil(y, m, d), clamped: false };
}
