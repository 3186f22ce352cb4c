/** Dates as staff read them: Rome time, Italian form, four-digit years; "—" for none. Pure. */
import { italianDate } from "../engine/civil.js";
import { romeClock, romeDay } from "../engine/rome.js";

export function romeDateTime(at: number | string | null): string {
  if (at === null) return "—";
  const ms = typeof at === "number" ? at : Date.parse(at);
  return `${italianDate(romeDay(ms))} ${romeClock(ms)}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * How close a deadline is, as an office reads it: "scaduta da 34 giorni",
 * "scade oggi alle 23:59", "domani", "tra 5 giorni"; hour terms (which end at
 * an exact instant) in hours when within a day: "tra 3 ore", "scaduta da 2 ore".
 * Days are Rome calendar days. `now` is passed in.
 */
export function closeness(dueAtMs: number, now: number, exactInstant: boolean): string {
  const days = romeDay(dueAtMs) - romeDay(now);
  const hours = (dueAtMs - now) / 3_600_000;
  // A passed hour term reads in hours for three days: 46 hours are never "2 giorni".
  if (dueAtMs < now) {
    if (exactInstant && -hours < 72) return -hours < 1 ? "scaduta da meno di un'ora" : `scaduta da ${plural(Math.floor(-hours), "ora", "ore")}`;
    return days === 0 ? "scaduta oggi" : `scaduta da ${plural(-days, "giorno", "giorni")}`;
  }
  if (exactInstant && hours < 24) return hours < 1 ? "tra meno di un'ora" : `tra ${plural(Math.floor(hours), "ora", "ore")}`;
  if (days === 0) return `scade oggi alle ${romeClock(dueAtMs)}`;
  if (days === 1) return exactInstant ? `domani alle ${romeClock(dueAtMs)}` : "domani";
  return `tra ${plural(days, "giorno", "giorni")}`;
}
