/**
 * The engine's explanation, in Italian: one step per rule applied, each
 * with its citation. Users read these next to every deadline.
 */
import { type DayNumber, italianDate, pad2, packedFromDays, weekday } from "./civil.js";
import { type Calendar, holidayName, isNamedHoliday } from "./holidays.js";
import { FERIALE_CITATION, LOCAL_CLOSURE_CITATION, MONTH_END_CITATION, type RegimeRules } from "./regimes.js";
import type { Suspended } from "./suspension.js";

export type StepRule =
  | "dies-a-quo"
  | "fixed-date"
  | "calendar"
  | "month-end"
  | "august-suspension"
  | "holiday-extension"
  | "saturday-ordinary"
  | "not-extended"
  | "office-closed"
  | "hour-term"
  | "summer-time"
  | "end-of-day";

export interface Step {
  rule: StepRule;
  citation: string;
  text: string;
}

export type Unit = "hours" | "days" | "months" | "years";

const UNIT_WORDS: Record<Unit, [string, string]> = {
  hours: ["ora", "ore"],
  days: ["giorno", "giorni"],
  months: ["mese", "mesi"],
  years: ["anno", "anni"],
};

// Interned: the same few amounts (3, 20, 30, 48, 120 …) recur in every term.
const quantities: Record<Unit, string[]> = { hours: [], days: [], months: [], years: [] };

export function quantity(amount: number, unit: Unit): string {
  const cache = quantities[unit];
  return (cache[amount] ??= amount + " " + UNIT_WORDS[unit][amount === 1 ? 0 : 1]);
}

export function diesAQuo(rules: RegimeRules, start: DayNumber, amount: number, counted: DayNumber): Step {
  return {
    rule: "dies-a-quo",
    citation: rules.diesAQuo,
    text:
      rules.diesAQuoLead + italianDate(start) + ") non si computa; il termine di " +
      quantity(amount, "days") + " si conta dal " + italianDate(start + 1) + " e scade il " + italianDate(counted),
  };
}

export function fixedDate(basis: string, day: DayNumber): Step {
  return { rule: "fixed-date", citation: basis, text: basis + ": la scadenza è fissata al " + italianDate(day) };
}

export function calendarMonths(rules: RegimeRules, start: DayNumber, amount: number, unit: Unit, counted: DayNumber): Step {
  return {
    rule: "calendar",
    citation: rules.calendar,
    text:
      rules.calendar + ": i termini a mesi e ad anni si computano secondo il calendario comune; " +
      quantity(amount, unit) + " dal " + italianDate(start) + (amount === 1 ? " scade il " : " scadono il ") +
      italianDate(counted),
  };
}

export function monthEnd(start: DayNumber, counted: DayNumber): Step {
  const p = packedFromDays(counted);
  const missing = pad2(packedFromDays(start) % 100) + "/" + pad2(((p / 100) | 0) % 100) + "/" + ((p / 10000) | 0);
  return {
    rule: "month-end",
    citation: MONTH_END_CITATION,
    text:
      "Il " + missing + " non esiste: il termine scade l'ultimo giorno del mese, " + italianDate(counted) +
      " (" + MONTH_END_CITATION + ")",
  };
}

function augustList(years: number[]): string {
  return years.length === 1
    ? "agosto " + years[0]
    : "agosto " + years.slice(0, -1).join(", ") + " e " + years[years.length - 1];
}

export function suspension(s: Suspended, monthly: boolean): Step {
  const parts: string[] = [];
  if (s.deferred) {
    parts.push("il termine inizierebbe a decorrere in agosto, durante la sospensione feriale: decorre dal 1° settembre, che è il primo giorno");
  }
  if (s.skipped.length > 0) {
    parts.push(
      "il decorso è sospeso dal 1° al 31 agosto (" + augustList(s.skipped) + ")" +
        (monthly ? ", quindi si aggiungono 31 giorni per ogni agosto attraversato" : " e riprende il 1° settembre"),
    );
  }
  const text =
    parts.length === 0
      ? "la sospensione feriale non incide: il termine non attraversa il mese di agosto"
      : parts.join("; ") + "; il termine scade il " + italianDate(s.day);
  return { rule: "august-suspension", citation: FERIALE_CITATION, text: FERIALE_CITATION + ": " + text };
}

export function suspensionNotApplicable(reason: "hours" | "administrative"): Step {
  const text =
    reason === "hours"
      ? "la sospensione feriale non si applica ai termini a ore"
      : "la sospensione feriale riguarda i soli termini processuali e non si applica ai termini amministrativi o sostanziali";
  return { rule: "august-suspension", citation: FERIALE_CITATION, text: FERIALE_CITATION + ": " + text };
}

function describeDay(cal: Calendar, day: DayNumber, saturdayMoves: boolean): string {
  return saturdayMoves && !isNamedHoliday(cal, day) && weekday(day) === 6
    ? italianDate(day) + " è sabato"
    : italianDate(day) + " è festivo (" + holidayName(cal, day) + ")";
}

function skippedDays(cal: Calendar, plain: DayNumber, moved: DayNumber, saturdayMoves: boolean): string {
  const parts: string[] = [];
  for (let d = plain; d < moved; d++) parts.push(describeDay(cal, d, saturdayMoves));
  return parts.join(", ");
}

export function extension(cal: Calendar, rules: RegimeRules, plain: DayNumber, moved: DayNumber): Step {
  // The Saturday rule is cited only when a Saturday was actually skipped.
  const citation =
    rules.saturdayMoves !== undefined && hasSaturday(plain, moved) ? rules.saturdayMoves : rules.holiday;
  return {
    rule: "holiday-extension",
    citation,
    text:
      skippedDays(cal, plain, moved, rules.saturdayMoves !== undefined) + ": il termine è prorogato al " +
      italianDate(moved) + " (" + citation + ")",
  };
}

function hasSaturday(from: DayNumber, to: DayNumber): boolean {
  for (let d = from; d < to; d++) if (weekday(d) === 6) return true;
  return false;
}

export function notExtended(cal: Calendar, rules: RegimeRules, plain: DayNumber, extended: DayNumber): Step {
  return {
    rule: "not-extended",
    citation: rules.holiday,
    text:
      skippedDays(cal, plain, extended, rules.saturdayMoves !== undefined) + ", ma la proroga (" + rules.holiday +
      ") riguarda i soli termini a giorni: il termine a mesi o ad anni scade comunque il " + italianDate(plain) +
      "; la data prorogata, " + italianDate(extended) + ", è indicata solo a titolo informativo",
  };
}

export function saturdayOrdinary(rules: RegimeRules, due: DayNumber): Step {
  return {
    rule: "saturday-ordinary",
    citation: rules.saturdayOrdinary!,
    text:
      italianDate(due) + " è sabato: il sabato non è giorno festivo e il termine non è prorogato (" +
      rules.saturdayOrdinary + ")",
  };
}

export function officeClosed(cal: Calendar, day: DayNumber): Step {
  return {
    rule: "office-closed",
    citation: LOCAL_CLOSURE_CITATION,
    text:
      italianDate(day) + " gli uffici di " + cal.city + " sono chiusi (" + holidayName(cal, day) +
      ", festa patronale): la festività locale non proroga il termine (" + LOCAL_CLOSURE_CITATION + ")" +
      (cal.note === undefined ? "" : "; " + cal.note),
  };
}

export function endOfDay(rules: RegimeRules, due: DayNumber): Step {
  return {
    rule: "end-of-day",
    citation: rules.endOfDay,
    text: "Il termine scade alle 23:59:59 del " + italianDate(due) + rules.endOfDayText,
  };
}
