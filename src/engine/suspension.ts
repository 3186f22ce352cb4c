/**
 * The August suspension of judicial terms (L. 742/1969 art. 1): terms do not
 * run during the suspension of each year — 1 August to 15 September until
 * 2014, 1 to 31 August from 2015 (rule-versions.ts). A term whose first
 * counted day would fall in it starts on the day after it ends, which is
 * day 1; a running term stops the day before and resumes the day after.
 */
import { type DayNumber, addMonths, yearOf } from "./civil.js";
import { ferialeWindow } from "./rule-versions.js";

export interface Suspended {
  day: DayNumber;
  /** The start was deferred to the day after the suspension (the year, if so). */
  deferred: number | undefined;
  /** Years whose suspension the running term skipped. */
  skipped: number[];
  /** Month terms: the month-end rule was applied. */
  clamped: boolean;
  /** The date the count reached before the suspended days were added back. */
  counted: DayNumber;
}

const inWindow = (d: DayNumber): boolean => {
  const w = ferialeWindow(yearOf(d));
  return d >= w.first && d <= w.last;
};

/** `days` days after `start` (the uncounted day), skipping every suspension. */
export function addDaysSuspended(start: DayNumber, days: number): Suspended {
  let cur = start;
  let remaining = days;
  let deferred: number | undefined;
  const skipped: number[] = [];
  for (;;) {
    const next = cur + 1;
    const y = yearOf(next);
    const w = ferialeWindow(y);
    if (next >= w.first && next <= w.last) {
      if (remaining === days) deferred = y;
      else skipped.push(y);
      cur = w.last;
      continue;
    }
    const nextWindow = next < w.first ? w.first : ferialeWindow(y + 1).first;
    const available = nextWindow - next;
    if (remaining <= available) return { day: cur + remaining, deferred, skipped, clamped: false, counted: cur + remaining };
    remaining -= available;
    cur = nextWindow - 1;
  }
}

/**
 * Months by calendar date from the (possibly deferred) start, then the
 * suspended days added for each suspension the term runs into — the settled
 * way of applying the suspension to month terms.
 */
export function addMonthsSuspended(start: DayNumber, months: number): Suspended {
  const deferred = inWindow(start + 1) ? yearOf(start + 1) : undefined;
  const from = deferred === undefined ? start : ferialeWindow(deferred).last;
  const plain = addMonths(from, months);
  let end = plain.day;
  const skipped: number[] = [];
  for (let y = yearOf(from + 1); ferialeWindow(y).first <= end; y++) {
    const w = ferialeWindow(y);
    if (w.first > from) {
      end += w.last - w.first + 1;
      skipped.push(y);
    }
  }
  return { day: end, deferred, skipped, clamped: plain.clamped, counted: plain.day };
}
