/**
 * The engine's explanation, in Italian: one step per rule applied, each
 * with its citation. Users read these next to every deadline.
 */
import { type DayNumber, italianDate, pad2, packedFromDays, weekday } from "./civil.js";
import { type Calendar, holidayName, isNamedHoliday } from "./holidays.js";
import { FERIALE_CITATION, FERIALE_EXCEPTIONS, type FerialeException, LOCAL_CLOSURE_CITATION, MONTH_END_CITATION, type RegimeRules } from "./regimes.js";
import { CIVIL_SATURDAY, type SaturdayKept, type SaturdayVersion, civilSaturday, ferialeVersion } from "./rule-versions.js";
import type { Suspended } from "./suspension.js";

type StepRule =
  | "dies-a-quo"
  | "fixed-date"
  /** A term that may run from either of two instants: both computed, the earlier followed. */
  | "two-starts"
  /** The first day from which an act is admissible ("not before"). */
  | "earliest"
  | "calendar"
  /** Which of the starts the law gives this term runs from. */
  | "start"
  /** An obligation per calendar period (once a year), due by the period's end. */
  | "calendar-period"
  | "month-end"
  | "august-suspension"
  | "holiday-extension"
  | "saturday-ordinary"
  | "not-extended"
  /** A date the law fixes falls on a holiday: due on it, the moved date shown as a possible extension. */
  | "possible-extension"
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

/** A date the law fixes, or (`setting`) a date the law leaves open and the deployment sets. */
export function fixedDate(basis: string, day: DayNumber, setting?: string): Step {
  const text = setting === undefined
    ? basis + ": la scadenza è fissata al " + italianDate(day)
    : basis + " non fissa il giorno: " + setting + "; la scadenza è il " + italianDate(day);
  return { rule: "fixed-date", citation: basis, text };
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

/** "dal 1° al 31 agosto 2024", per year, with the version of the rule for that year. */
function periods(years: number[]): string {
  const parts = years.map((y) => ferialeVersion(y).period + " " + y);
  return parts.length === 1 ? parts[0]! : parts.slice(0, -1).join(", ") + " e " + parts[parts.length - 1];
}

/** The sources of the versions applied, once each. */
function versionSources(years: number[]): string {
  return [...new Set(years.map((y) => ferialeVersion(y).source))].join("; ");
}

export function suspension(s: Suspended, monthly: boolean): Step {
  const parts: string[] = [];
  const years = [...(s.deferred === undefined ? [] : [s.deferred]), ...s.skipped];
  if (s.deferred !== undefined) {
    parts.push(
      "il termine inizierebbe a decorrere durante la sospensione feriale (" + periods([s.deferred]) +
        "): decorre dal giorno successivo, che è il primo giorno",
    );
  }
  if (s.skipped.length > 0) {
    parts.push(
      "il decorso è sospeso " + periods(s.skipped) +
        (monthly ? ", quindi si aggiungono i giorni di sospensione per ogni periodo attraversato" : " e riprende il giorno successivo"),
    );
  }
  const text =
    parts.length === 0
      ? "la sospensione feriale non incide: il termine non attraversa il periodo feriale"
      : parts.join("; ") + "; il termine scade il " + italianDate(s.day);
  const citation = years.length === 0 ? FERIALE_CITATION : versionSources(years);
  return { rule: "august-suspension", citation, text: text.charAt(0).toUpperCase() + text.slice(1) + " (" + citation + ")" };
}

export function suspensionNotApplicable(reason: "hours" | "administrative"): Step {
  const text =
    reason === "hours"
      ? "la sospensione feriale non si applica ai termini a ore: la legge non lo dice espressamente; è nostra lettura, perché questi termini tutelano la libertà personale"
      : "la sospensione feriale riguarda i soli termini processuali e non si applica ai termini amministrativi o sostanziali";
  return { rule: "august-suspension", citation: FERIALE_CITATION, text: FERIALE_CITATION + ": " + text };
}

/** A judicial term counted without the suspension: under a named exception of the law, or by the stage's or caller's choice. */
export function suspensionLeftOut(why: "ignore" | FerialeException): Step {
  if (why === "ignore") {
    return {
      rule: "august-suspension", citation: FERIALE_CITATION,
      text: "La sospensione feriale (" + FERIALE_CITATION + ") non è applicata a questo termine, come indicato: la data è calcolata senza sospensione",
    };
  }
  const e = FERIALE_EXCEPTIONS[why];
  return {
    rule: "august-suspension", citation: e.citation,
    text: "La sospensione feriale non si applica: " + e.text + " (" + e.citation + ")",
  };
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

export function extension(cal: Calendar, rules: RegimeRules, plain: DayNumber, moved: DayNumber, instituted?: DayNumber): Step {
  // The Saturday rule is cited only when a Saturday was actually skipped, with the version that made it apply.
  const saturday = rules.saturdayMoves !== undefined ? firstSaturday(plain, moved) : undefined;
  const citation = saturday === undefined
    ? rules.holiday
    : rules.holiday + " e " + rules.saturdayMoves + saturdayBasis(civilSaturday(saturday, instituted).version);
  return {
    rule: "holiday-extension",
    citation,
    text:
      skippedDays(cal, plain, moved, rules.saturdayMoves !== undefined) + ": il termine è prorogato al " +
      italianDate(moved) + " (" + citation + ")",
  };
}

function firstSaturday(from: DayNumber, to: DayNumber): DayNumber | undefined {
  for (let d = from; d < to; d++) if (weekday(d) === 6) return d;
  return undefined;
}

function saturdayBasis(v: SaturdayVersion): string {
  if (v === "all") return ", applicabile ai termini che scadono dopo il 4 luglio 2009 (" + CIVIL_SATURDAY.pendingSource + ")";
  if (v === "instituted-after") return ", procedimento instaurato dopo il 1° marzo 2006 (art. 2 co. 4 L. 263/2005)";
  return "";
}

/** A civil term ending on a Saturday the rule in force did not move. */
export function civilSaturdayKept(due: DayNumber, v: SaturdayKept): Step {
  const why: Record<SaturdayKept, string> = {
    "before-rule": "la proroga del sabato (art. 155 co. 5 c.p.c.) non esisteva ancora: è stata introdotta dalla L. 263/2005 per i procedimenti instaurati dopo il 1° marzo 2006",
    "instituted-before": "il procedimento è stato instaurato entro il 1° marzo 2006 e il termine scade entro il 4 luglio 2009: la proroga del sabato (art. 155 co. 5 c.p.c.) non si applica (art. 2 co. 4 L. 263/2005; " + CIVIL_SATURDAY.pendingSource + ")",
    "assumed-pending": "non è indicata la data di instaurazione del procedimento: si assume, prudenzialmente, che fosse già pendente al 1° marzo 2006, e la proroga del sabato (art. 155 co. 5 c.p.c.) non si applica ai termini che scadono entro il 4 luglio 2009 (" + CIVIL_SATURDAY.pendingSource + "); se il procedimento è stato instaurato dopo, il termine scade il lunedì successivo",
  };
  return { rule: "saturday-ordinary", citation: CIVIL_SATURDAY.source, text: italianDate(due) + " è sabato, ma " + why[v] };
}

export function notExtended(cal: Calendar, rules: RegimeRules, plain: DayNumber, extended: DayNumber): Step {
  return {
    rule: "not-extended",
    citation: rules.holiday,
    text:
      skippedDays(cal, plain, extended, rules.saturdayMoves !== undefined) + ", ma " + rules.holiday +
      " prevede la proroga per i soli termini stabiliti a giorni: il termine a mesi o ad anni scade comunque il " + italianDate(plain) +
      "; la data prorogata, " + italianDate(extended) + ", è indicata solo a titolo informativo",
  };
}

/** A fixed date on a holiday: whether the extension reaches dates the law fixes is unsettled (issue: alert on the earlier). */
export function possibleExtension(cal: Calendar, rules: RegimeRules, plain: DayNumber, extended: DayNumber): Step {
  return {
    rule: "possible-extension",
    citation: rules.holiday,
    text:
      skippedDays(cal, plain, extended, rules.saturdayMoves !== undefined) + ": molti leggono " + rules.holiday +
      " come regola generale che sposta anche le date fissate dalla legge, ma non abbiamo trovato una pronuncia in un senso o nell'altro; " +
      "in via prudenziale la scadenza è il " + italianDate(plain) + ", e il " + italianDate(extended) + " è indicato come possibile proroga",
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
