/**
 * Calendar weeks on the Rome clock (art. 172 co. 2 c.p.p.: the ordinary
 * calendar), for attendance windows: a week from Monday 10:00 ends the next
 * Monday at 10:00 Italian time, summer time or not — not after 168 elapsed
 * hours, which would move the boundary by an hour across the change and
 * count an attendance in that hour in the wrong week.
 */
import { MS_PER_DAY, italianDate } from "./civil.js";
import { formatRomeInstant, offsetAtInstant, romeClock, romeDay, romeLocalInstant } from "./rome.js";
import type { Step } from "./steps.js";
import type { Flag, Term } from "./term-types.js";

const CALENDAR_CITATION = "art. 172 co. 2 c.p.p.";

/** The same Rome clock time `weeks` weeks later. */
export function weekTerm(from: number, weeks: number): Term {
  const local = from + offsetAtInstant(from) * 60_000;
  const msOfDay = local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  const dueDay = romeDay(from) + 7 * weeks;
  const dueAtMs = romeLocalInstant(dueDay, Math.floor(msOfDay / 60_000)) + (msOfDay % 60_000);
  const flags: Flag[] = offsetAtInstant(from) === offsetAtInstant(dueAtMs) ? [] : ["summerTimeChange"];
  const steps: Step[] = [{
    rule: "calendar",
    citation: CALENDAR_CITATION,
    text:
      (weeks === 1 ? "Una settimana" : `${weeks} settimane`) + " di calendario (" + CALENDAR_CITATION + ": calendario comune): dalle " +
      romeClock(from) + " del " + italianDate(romeDay(from)) + " alle " + romeClock(dueAtMs) + " del " + italianDate(dueDay) +
      " (ora italiana)" + (flags.length > 0 ? "; il cambio dell'ora legale non sposta il confine della settimana" : ""),
  }];
  return { dueAt: formatRomeInstant(dueAtMs), dueAtMs, dueDate: undefined, plainDate: undefined, extendedDate: undefined, flags, steps };
}
