/**
 * The August suspension of judicial terms (L. 742/1969 art. 1): terms do not
 * run from 1 to 31 August. A term whose first counted day would fall in
 * August starts on 1 September, which is day 1; a running term stops on
 * 31 July and resumes on 1 September.
 */
import { type DayNumber, addMonths, daysFromCivil, yearOf } from "./civil.js";

export interface Suspended {
  day: DayNumber;
  /** The start was deferred to 1 September. */
  deferred: boolean;
  /** Years whose August the running term skipped. */
  skipped: number[];
  /** Month terms: the month-end rule was applied. */
  clamped: boolean;
  /** The date the count reached before the Augusts were added back. */
  counted: DayNumber;
}

const augustFirst = (y: number): DayNumber => daysFromCivil(y, 8, 1);
const inAugust = (d: DayNumber): boolean => {
  const a = augustFirst(yearOf(d));
  return d >= a && d <= a + 30;
};

/** `days` days after `start` (the uncounted day), skipping every August. */
export function addDaysSuspended(start: DayNumber, days: number): Suspended {
  let cur = start;
  let remaining = days;
  let deferred = false;
  const skipped: number[] = [];
  for (;;) {
    const next = cur + 1;
    const y = yearOf(next);
    const aug1 = augustFirst(y);
    if (next >= aug1 && next <= aug1 + 30) {
      if (remaining === days) deferred = true;
      else skipped.push(y);
      cur = aug1 + 30;
      continue;
    }
    const nextAugust = next < aug1 ? aug1 : augustFirst(y + 1);
    const available = nextAugust - next;
    if (remaining <= available) return { day: cur + remaining, deferred, skipped, clamped: false, counted: cur + remaining };
    remaining -= available;
    cur = nextAugust - 1;
  }
}

/**
 * Months by calendar date from the (possibly deferred) start, then 31 days
 * added for each August the term runs into — the settled way of applying the
 * suspension to month terms.
 */
export function addMonthsSuspended(start: DayNumber, months: number): Suspended {
  const deferred = inAugust(start + 1);
  const from = deferred ? augustFirst(yearOf(start + 1)) + 30 : start;
  const plain = addMonths(from, months);
  let end = plain.day;
  const skipped: number[] = [];
  for (let y = yearOf(from + 1); augustFirst(y) <= end; y++) {
    if (augustFirst(y) > from) {
      end += 31;
      skipped.push(y);
    }
  }
  return { day: end, deferred, skipped, clamped: plain.clamped, counted: plain.day };
}
