/**
 * When each reminder and escalation of a deadline fires. Pure: the deadline
 * comes from the engine, the rungs from the timeline definition.
 */
import { MS_PER_DAY, MS_PER_HOUR, type DayNumber, weekday } from "../engine/civil.js";
import { getCalendar, isPublicHoliday } from "../engine/holidays.js";
import { offsetAtInstant, romeDay, romeLocalInstant } from "../engine/rome.js";
import type { RungDefinition, RungTime } from "./definition.js";

export interface PlannedRung {
  rung: string;
  kind: "reminder" | "escalation";
  level: number;
  role: string | undefined;
  sendAtMs: number;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

function rungInstant(at: RungTime, dueAtMs: number, dueDay: DayNumber): number {
  if (at.kind === "before-due-date") return romeLocalInstant(dueDay - at.days, minutesOf(at.time));
  if (at.kind === "before-due") return dueAtMs - at.hours * MS_PER_HOUR;
  if (at.kind === "next-working-day") return romeLocalInstant(nextWorkingDay(dueDay), minutesOf(at.time));
  // The deadline passes one second after dueAt (23:59:59 → 00:00:00); later
  // days keep that Rome clock time, across summer-time changes; hours are elapsed.
  const passed = dueAtMs + 1000;
  return sameClockDaysLater(passed, at.days) + at.hours * MS_PER_HOUR;
}

function sameClockDaysLater(ms: number, days: number): number {
  if (days === 0) return ms;
  const local = ms + offsetAtInstant(ms) * 60_000;
  const msOfDay = local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
  return romeLocalInstant(romeDay(ms) + days, Math.floor(msOfDay / 60_000)) + (msOfDay % 60_000);
}

const NATIONAL = getCalendar("IT")!;

/** The first day after `day` that is not a Saturday, a Sunday or a national holiday. */
function nextWorkingDay(day: DayNumber): DayNumber {
  let d = day + 1;
  while (weekday(d) === 6 || isPublicHoliday(NATIONAL, d)) d++;
  return d;
}

/** The rungs still meaningful for a stage started at `startMs`, in firing order. */
export function planRungs(rungs: readonly RungDefinition[], startMs: number, dueAtMs: number): PlannedRung[] {
  const dueDay = romeDay(dueAtMs);
  return rungs
    .map((r) => ({ rung: r.id, kind: r.kind, level: r.level, role: r.role, sendAtMs: rungInstant(r.at, dueAtMs, dueDay) }))
    // A reminder due before the stage even started would say nothing useful.
    .filter((r) => r.kind === "escalation" || r.sendAtMs > startMs)
    .sort((a, b) => a.sendAtMs - b.sendAtMs);
}
