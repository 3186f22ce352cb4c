/**
 * Hour terms: elapsed time from the trigger instant, never extended for
 * holidays (art. 172 co. 3 c.p.p. speaks only of day terms; Cassazione on
 * the 96-hour validation term) and never suspended in August.
 */
import { MS_PER_DAY, MS_PER_HOUR, italianDate } from "./civil.js";
import { type Calendar, holidayName, isLocalClosure, isPublicHoliday } from "./holidays.js";
import type { RegimeRules } from "./regimes.js";
import { DST_CITATION } from "./regimes.js";
import { formatRomeInstant, offsetAtInstant, romeClock, romeDay } from "./rome.js";
import { type Step, officeClosed, quantity, suspensionNotApplicable } from "./steps.js";
import type { Flag, Term } from "./term-types.js";

export function hourTerm(cal: Calendar, rules: RegimeRules, from: number, amount: number, feriale: boolean): Term {
  const dueAtMs = from + amount * MS_PER_HOUR;
  const fromOffset = offsetAtInstant(from);
  const dueOffset = offsetAtInstant(dueAtMs);
  const dueDay = Math.floor((dueAtMs + dueOffset * 60_000) / MS_PER_DAY);
  const flags: Flag[] = [];
  const steps: Step[] = [
    {
      rule: "hour-term",
      citation: rules.diesAQuo,
      text:
        rules.diesAQuo + ": l'ora iniziale non si computa; le " + quantity(amount, "hours") + " decorrono dalle " +
        romeClock(from, fromOffset) + " del " + italianDate(romeDay(from)) + " e scadono alle " +
        romeClock(dueAtMs, dueOffset) + " del " +
        italianDate(dueDay) + " (ora italiana): il termine a ore è tempo effettivamente trascorso",
    },
  ];
  if (fromOffset !== dueOffset) {
    flags.push("summerTimeChange");
    steps.push({
      rule: "summer-time",
      citation: DST_CITATION,
      text:
        "Nel periodo " + (dueOffset > fromOffset ? "entra in vigore" : "termina") +
        " l'ora legale: le ore si contano come tempo trascorso, quindi la scadenza è alle " + romeClock(dueAtMs, dueOffset) +
        (dueOffset > fromOffset ? ", ora legale (UTC+02:00)" : ", ora solare (UTC+01:00)") + " (" + DST_CITATION + ")",
    });
  }
  if (isPublicHoliday(cal, dueDay)) {
    flags.push("officeClosed");
    steps.push({
      rule: "not-extended",
      citation: rules.holiday,
      text:
        italianDate(dueDay) + " è festivo (" + holidayName(cal, dueDay) +
        "), ma il termine a ore non è prorogato: " + (rules.movesMonths
          ? "è tempo effettivamente trascorso (nostra lettura: " + rules.holiday + " non distingue, ma la scadenza a ore non è un giorno)"
          : "la proroga (" + rules.holiday + ") riguarda i soli termini stabiliti a giorni"),
    });
  } else if (isLocalClosure(cal, dueDay)) {
    flags.push("officeClosed");
    steps.push(officeClosed(cal, dueDay));
  }
  if (feriale) steps.push(suspensionNotApplicable("hours"));
  return {
    dueAt: formatRomeInstant(dueAtMs, dueOffset), dueAtMs, dueDate: undefined, plainDate: undefined, extendedDate: undefined, flags, steps,
  };
}
