/** Rung sets shared by several timelines. */
import type { z } from "zod";
import type { RungDefinition } from "./definition.js";

type Rung = z.input<typeof RungDefinition>;

/** Terms of weeks or more: 7 and 2 days before and on the due day at 08:00; escalation when it passes and 3 days later. */
export const DAY_TERM_RUNGS: Rung[] = [
  { id: "reminder-7d", kind: "reminder", at: { kind: "before-due-date", days: 7, time: "08:00" }, level: 0 },
  { id: "reminder-2d", kind: "reminder", at: { kind: "before-due-date", days: 2, time: "08:00" }, level: 0 },
  { id: "reminder-due-day", kind: "reminder", at: { kind: "before-due-date", days: 0, time: "08:00" }, level: 0 },
  { id: "escalation-1", kind: "escalation", at: { kind: "after-due", days: 0 }, level: 1 },
  { id: "escalation-2", kind: "escalation", at: { kind: "after-due", days: 3 }, level: 2 },
];

/** Terms of a few days: the day before and the due day at 08:00; escalation when it passes and the next day. */
export const SHORT_TERM_RUNGS: Rung[] = [
  { id: "reminder-1d", kind: "reminder", at: { kind: "before-due-date", days: 1, time: "08:00" }, level: 0 },
  { id: "reminder-due-day", kind: "reminder", at: { kind: "before-due-date", days: 0, time: "08:00" }, level: 0 },
  { id: "escalation-1", kind: "escalation", at: { kind: "after-due", days: 0 }, level: 1 },
  { id: "escalation-2", kind: "escalation", at: { kind: "after-due", days: 1 }, level: 2 },
];

/** Hour terms: 24 and 6 hours before; escalation the moment it passes and 6 hours later. */
export const HOUR_TERM_RUNGS: Rung[] = [
  { id: "reminder-24h", kind: "reminder", at: { kind: "before-due", hours: 24 }, level: 0 },
  { id: "reminder-6h", kind: "reminder", at: { kind: "before-due", hours: 6 }, level: 0 },
  { id: "escalation-1", kind: "escalation", at: { kind: "after-due", hours: 0 }, level: 1 },
  { id: "escalation-2", kind: "escalation", at: { kind: "after-due", hours: 6 }, level: 2 },
];

/** Long windows someone outside the offices must use (a claimant): reminders only, to the receiving office. */
export const WINDOW_RUNGS: Rung[] = [
  { id: "reminder-30d", kind: "reminder", at: { kind: "before-due-date", days: 30, time: "08:00" }, level: 0 },
  { id: "reminder-7d", kind: "reminder", at: { kind: "before-due-date", days: 7, time: "08:00" }, level: 0 },
];

/** Dates fixed by law: 30, 14, 7 and 1 days before at 08:00; escalation when the date passes. */
export const FIXED_DATE_RUNGS: Rung[] = [
  { id: "reminder-30d", kind: "reminder", at: { kind: "before-due-date", days: 30, time: "08:00" }, level: 0 },
  { id: "reminder-14d", kind: "reminder", at: { kind: "before-due-date", days: 14, time: "08:00" }, level: 0 },
  { id: "reminder-7d", kind: "reminder", at: { kind: "before-due-date", days: 7, time: "08:00" }, level: 0 },
  { id: "reminder-1d", kind: "reminder", at: { kind: "before-due-date", days: 1, time: "08:00" }, level: 0 },
  { id: "escalation-1", kind: "escalation", at: { kind: "after-due", days: 0 }, level: 1 },
];
