/**
 * Rules of term computation that changed over time, as dated data with their
 * sources (like the holidays in calendar-data.ts): the engine applies the
 * version in force for the date in question, and `steps` names it.
 */
import { type DayNumber, daysFromCivil } from "./civil.js";

export interface FerialeVersion {
  /** The first and last year of the suspension this version governs. */
  firstYear: number;
  lastYear: number;
  /** The last suspended day, as month and day (the first is always 1 August). */
  endMonth: number;
  endDay: number;
  /** How the period reads in the explanation, without the year. */
  period: string;
  source: string;
}

/**
 * L. 742/1969 art. 1. The version is chosen by the year of the suspension,
 * whatever year the proceeding began (Cass. ord. 20866/2017): D.L. 132/2014
 * art. 16 co. 3 applies the shorter period "a decorrere dall'anno 2015".
 */
const FERIALE_VERSIONS: readonly FerialeVersion[] = [
  {
    firstYear: 1970, lastYear: 2014, endMonth: 9, endDay: 15,
    period: "dal 1° agosto al 15 settembre",
    source: "art. 1 L. 7 ottobre 1969 n. 742, testo originario (sospensioni fino al 2014)",
  },
  {
    firstYear: 2015, lastYear: 9999, endMonth: 8, endDay: 31,
    period: "dal 1° al 31 agosto",
    source: "art. 1 L. 742/1969 come modificato dall'art. 16 co. 1 e 3 D.L. 12 settembre 2014 n. 132 (conv. L. 10 novembre 2014 n. 162), dal 2015",
  },
];

/** The versions cover 1970–9999, every year the engine counts (1996–2300, civil.ts): a year always has one. */
export function ferialeVersion(year: number): FerialeVersion {
  return FERIALE_VERSIONS.find((v) => year >= v.firstYear && year <= v.lastYear)!;
}

// Per-year windows, computed once: the suspension loops ask for them per day.
const windows = new Map<number, { first: DayNumber; last: DayNumber }>();

/** The suspended days of a year: 1 August to the version's last day. */
export function ferialeWindow(year: number): { first: DayNumber; last: DayNumber } {
  let w = windows.get(year);
  if (w === undefined) {
    const v = ferialeVersion(year);
    w = { first: daysFromCivil(year, 8, 1), last: daysFromCivil(year, v.endMonth, v.endDay) };
    windows.set(year, w);
  }
  return w;
}

/**
 * The civil Saturday rule (art. 155 co. 5 c.p.c., added by art. 2 co. 1
 * lett. f L. 28 dicembre 2005 n. 263): for proceedings instituted after
 * 1 March 2006 (art. 2 co. 4 L. 263/2005), and for proceedings pending on
 * 4 July 2009 as to terms expiring after that day (art. 58 co. 3 L. 18
 * giugno 2009 n. 69; Cass. 27048/2014, ord. 34672/2021).
 */
export const CIVIL_SATURDAY = {
  /** Proceedings instituted after this day (exclusive) follow the rule. */
  institutedAfter: daysFromCivil(2006, 3, 1),
  /** Terms expiring after this day (exclusive) follow it in every proceeding. */
  allPendingAfter: daysFromCivil(2009, 7, 4),
  source: "art. 155 co. 5 c.p.c. (L. 263/2005, art. 2 co. 4)",
  pendingSource: "art. 58 co. 3 L. 69/2009",
} as const;

export type SaturdayVersion =
  /** Expiring after 4 July 2009: every proceeding. */
  | "all"
  /** Instituted after 1 March 2006 (the caller said so). */
  | "instituted-after"
  /** Instituted on or before 1 March 2006 and expiring by 4 July 2009. */
  | "instituted-before"
  /** Expiring before the rule existed (by 1 March 2006). */
  | "before-rule"
  /** Between the dates, the caller did not say when the proceeding began: assumed pending, not moved. */
  | "assumed-pending";

/** The versions under which a Saturday is kept (not moved to Monday). */
export type SaturdayKept = Exclude<SaturdayVersion, "all" | "instituted-after">;

/** Whether a civil term expiring on Saturday `day` moves, and under which version of the rule. */
export function civilSaturday(day: DayNumber, instituted: DayNumber | undefined):
  { moves: true; version: Exclude<SaturdayVersion, SaturdayKept> } | { moves: false; version: SaturdayKept } {
  if (day > CIVIL_SATURDAY.allPendingAfter) return { moves: true, version: "all" };
  if (day <= CIVIL_SATURDAY.institutedAfter) return { moves: false, version: "before-rule" };
  if (instituted === undefined) return { moves: false, version: "assumed-pending" };
  return instituted > CIVIL_SATURDAY.institutedAfter
    ? { moves: true, version: "instituted-after" }
    : { moves: false, version: "instituted-before" };
}
