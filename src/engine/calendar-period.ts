/**
 * "Once a year" (una volta all'anno, ogni anno): an obligation per calendar
 * year, met by one qualifying act on any day of it. Its date is the year's
 * last instant on the Rome clock, never moved for holidays: it is the end of
 * the period the act belongs to, not a term counted from an event.
 */
import { daysFromCivil, isoDate, italianDate, yearOf } from "./civil.js";
import { endOfDayInstant, formatEndOfDay, romeDay } from "./rome.js";
import type { Step } from "./steps.js";
import type { Term } from "./term-types.js";

export function calendarYearTerm(from: number, why: string): Term {
  const year = yearOf(romeDay(from));
  const last = daysFromCivil(year, 12, 31);
  const steps: Step[] = [
    { rule: "calendar-period", citation: why, text: `L'obbligo vale per anno solare: l'atto dell'anno ${year} può cadere in qualsiasi giorno fino al ${italianDate(last)} compreso (${why})` },
    {
      rule: "not-extended", citation: "art. 2963 co. 3 c.c.",
      text: "La data è la fine dell'anno, non la scadenza di un termine contato da un evento: non è spostata per i giorni festivi (nostra lettura)",
    },
  ];
  return { dueAt: formatEndOfDay(last), dueAtMs: endOfDayInstant(last), dueDate: isoDate(last), plainDate: undefined, extendedDate: undefined, flags: [], steps };
}
