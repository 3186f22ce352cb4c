/**
 * The straightforward way to compute the same terms: a general date library
 * (Luxon, with the tz database through Intl) and date-holidays, stepping day
 * by day. The benchmark measures the engine against it, and the oracle tests
 * use it as an independent implementation.
 */
import Holidays from "date-holidays";
import { DateTime } from "luxon";
import { LOCAL_CALENDARS } from "../src/engine/calendar-data.js";

export interface BaselineInput {
  from: string;
  amount: number;
  unit: "hours" | "days" | "months" | "years";
  regime: "penal" | "civil" | "administrative";
  calendar: string;
  feriale: "apply" | "ignore";
}

export interface BaselineTerm {
  dueAt: string;
  dueDate?: string;
  plainDate?: string;
  extendedDate?: string;
  flags: string[];
  steps: string[];
}

const ZONE = "Europe/Rome";
const national = new Holidays("IT");
const closures = new Map(
  LOCAL_CALENDARS.map((c) => [c.id, c.closures.map((h) => (h.rule.kind === "fixed" ? [h.rule.month, h.rule.day] : [0, 0]))]),
);

function isHoliday(d: DateTime): boolean {
  if (d.weekday === 7) return true;
  // date-holidays lists 2 June before its restoration in 2001.
  if (d.month === 6 && d.day === 2 && d.year < 2001) return false;
  const found = national.isHoliday(d.set({ hour: 12 }).toJSDate());
  return Array.isArray(found) && found.some((h) => h.type === "public");
}

function isClosed(d: DateTime, calendar: string): boolean {
  return isHoliday(d) || (closures.get(calendar) ?? []).some(([m, day]) => m === d.month && day === d.day);
}

const fmt = (d: DateTime) => d.toFormat("dd/LL/yyyy");

/** The suspension: 1 August-15 September until 2014, 1-31 August from 2015 (D.L. 132/2014 art. 16). */
function suspended(d: DateTime): boolean {
  return d.month === 8 || (d.year <= 2014 && d.month === 9 && d.day <= 15);
}

/** Days suspended in a year: 46 until 2014, then 31. */
const suspendedDays = (y: number): number => (y <= 2014 ? 46 : 31);

function countDays(start: DateTime, amount: number, suspend: boolean): DateTime {
  let d = start;
  for (let k = 0; k < amount; ) {
    d = d.plus({ days: 1 });
    if (suspend && suspended(d)) continue;
    k++;
  }
  return d;
}

function countMonths(start: DateTime, months: number, suspend: boolean): DateTime {
  let from = start;
  const first = start.plus({ days: 1 });
  if (suspend && suspended(first)) from = first.year <= 2014 ? first.set({ month: 9, day: 15 }) : first.set({ month: 8, day: 31 });
  let end = from.plus({ months });
  if (!suspend) return end;
  for (let y = from.plus({ days: 1 }).year; DateTime.fromObject({ year: y, month: 8, day: 1 }, { zone: ZONE }) <= end; y++) {
    if (DateTime.fromObject({ year: y, month: 8, day: 1 }, { zone: ZONE }) > from) end = end.plus({ days: suspendedDays(y) });
  }
  return end;
}

export function baselineTerm(i: BaselineInput): BaselineTerm {
  const from = DateTime.fromISO(i.from, { setZone: true }).setZone(ZONE);
  const steps: string[] = [];
  const flags: string[] = [];
  if (i.unit === "hours") {
    const due = from.plus({ hours: i.amount });
    steps.push(`le ${i.amount} ore decorrono dalle ${from.toFormat("HH:mm")} del ${fmt(from)} e scadono alle ${due.toFormat("HH:mm")} del ${fmt(due)}`);
    if (from.offset !== due.offset) flags.push("summerTimeChange");
    if (isClosed(due, i.calendar)) flags.push("officeClosed");
    return { dueAt: due.toISO({ suppressMilliseconds: true })!, flags, steps };
  }
  const start = from.startOf("day");
  const suspend = i.feriale === "apply" && i.regime !== "administrative";
  const plain =
    i.unit === "days"
      ? countDays(start, i.amount, suspend)
      : countMonths(start, i.unit === "years" ? i.amount * 12 : i.amount, suspend);
  steps.push(`il termine di ${i.amount} ${i.unit} dal ${fmt(start)} scade il ${fmt(plain)}`);
  let extended = plain;
  // Civil Saturdays move for every proceeding from 5 July 2009 (L. 69/2009 art. 58); before, no institution date is given.
  const civilSaturday = (d: DateTime) => i.regime === "civil" && d.weekday === 6 && d.toISODate()! > "2009-07-04";
  while (isHoliday(extended) || civilSaturday(extended)) extended = extended.plus({ days: 1 });
  const moves = i.unit === "days" || i.regime !== "penal";
  const due = moves ? extended : plain;
  const out: BaselineTerm = { dueAt: "", dueDate: due.toISODate()!, flags, steps };
  if (!extended.equals(plain)) {
    if (moves) out.plainDate = plain.toISODate()!;
    else out.extendedDate = extended.toISODate()!;
    steps.push(`${fmt(plain)} è festivo: ${moves ? "prorogato" : "data prorogata informativa"} al ${fmt(extended)}`);
  }
  if (isClosed(due, i.calendar)) flags.push("officeClosed");
  out.dueAt = due.set({ hour: 23, minute: 59, second: 59 }).toISO({ suppressMilliseconds: true })!;
  steps.push(`scade alle 23:59:59 del ${fmt(due)}`);
  return out;
}
