/**
 * Dates that are not terms for an act, so no holiday or Saturday moves them
 * (the extensions speak of a term's "scadenza"):
 * - a lapse ("the protocol lasts three years"): the end of the anniversary day;
 * - an earliest date ("not before three years"): the day after the anniversary,
 *   from its first instant, since a period ends with its last day (our reading,
 *   by analogy with art. 2963 co. 2 c.c.).
 * Months by calendar date with the month-end rule (art. 2963 co. 4-5 c.c.).
 */
import { type DayNumber, addMonths, isoDate, italianDate } from "./civil.js";
import { MONTH_END_CITATION } from "./regimes.js";
import { endOfDayInstant, formatEndOfDay, formatRomeInstant, romeDay, romeLocalInstant } from "./rome.js";
import { type Step, type Unit, quantity } from "./steps.js";
import type { Flag, Term } from "./term-types.js";

export type AnniversaryKind = "lapse" | "earliest";

const NOT_MOVED =
  "La data non è spostata per i giorni festivi né per il sabato: le proroghe (art. 2963 co. 3 c.c., art. 155 co. 4 c.p.c., art. 172 co. 3 c.p.p.) riguardano la scadenza di un termine per compiere un atto, e questa non lo è (nostra lettura)";

export function anniversaryTerm(from: number, amount: number, unit: Extract<Unit, "months" | "years">, kind: AnniversaryKind): Term {
  const start: DayNumber = romeDay(from);
  const a = addMonths(start, unit === "years" ? amount * 12 : amount);
  const flags: Flag[] = a.clamped ? ["monthEnd"] : [];
  const steps: Step[] = [{
    rule: "calendar",
    citation: "art. 2963 co. 4 c.c.",
    text: quantity(amount, unit) + " dal " + italianDate(start) + " si compiono il " + italianDate(a.day) +
      (a.clamped ? " (il giorno corrispondente manca: l'ultimo del mese, " + MONTH_END_CITATION + ")" : "") + " (calendario comune)",
  }];
  if (kind === "lapse") {
    steps.push({ rule: "end-of-day", citation: "art. 2963 co. 2 c.c.", text: "Il periodo termina alle 23:59:59 del " + italianDate(a.day) + " (art. 2963 co. 2 c.c.)" });
    steps.push({ rule: "not-extended", citation: "art. 2963 co. 3 c.c.", text: NOT_MOVED });
    return { dueAt: formatEndOfDay(a.day), dueAtMs: endOfDayInstant(a.day), dueDate: isoDate(a.day), plainDate: undefined, extendedDate: undefined, flags, steps };
  }
  const first = a.day + 1;
  steps.push({
    rule: "earliest",
    citation: "art. 2963 co. 2 c.c.",
    text: "Nostra lettura: il periodo si compie con l'ultimo istante del " + italianDate(a.day) +
      ", per analogia con l'art. 2963 co. 2 c.c.; la prima data utile è quindi dal " + italianDate(first),
  });
  steps.push({ rule: "not-extended", citation: "art. 2963 co. 3 c.c.", text: NOT_MOVED.replace("riguardano la scadenza di un termine per compiere un atto, e questa non lo è", "riguardano la scadenza di un termine, e questa è una data minima («non prima di»)") });
  const at = romeLocalInstant(first, 0);
  return { dueAt: formatRomeInstant(at), dueAtMs: at, dueDate: isoDate(first), plainDate: undefined, extendedDate: undefined, flags, steps };
}
