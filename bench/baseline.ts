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

function countDays(start: DateTime, amount: number, suspend: boolean): DateTime {
  let d = start;
  for (let k = 0; k < amount; ) {
    d = d.plus({ days: 1 });
    if (suspend && d.month === 8) continue;
    k++;
  }
  return d;
}

function countMonths(start: DateTime, months: number, suspend: boolean): DateTime {
  let from = start;
  if (suspend && start.plus({ days: 1 }).month === 8) from = start.set({ month: 8, day: 31 });
  let end = from.plus({ months });
  if (!suspend) return end;
  for (let y = from.plus({ days: 1 }).year; DateTime.fromObject({ year: y, month: 8, day: 1 }, { zone: ZONE }) <= end; y++) {
    if (DateTime.fromObject({ year: y, month: 8, day: 1 }, { zone: ZONE }) > from) end = end.plus({ days: 31 });
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
  while (isHoliday(extended) || (i.regime === "civil" && extended.weekday === 6)) extended = extended.plus({ days: 1 });
  const moves = i.unit === "days" || i.regime === "administrative";
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
