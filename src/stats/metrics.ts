/**
 * Which counters an occurrence moves. Pure: the report is built from these
 * counters, never by scanning events, so each is one (month, office,
 * metric) cell. Metric names: <timeline>:<stage>:<what>.
 */
import { packedFromDays } from "../engine/civil.js";
import { romeDay } from "../engine/rome.js";

export interface Bump {
  month: string;
  officeId: string;
  metric: string;
  by: number;
}

/** YYYY-MM of an instant in Rome. */
export function monthOf(ms: number): string {
  const p = packedFromDays(romeDay(ms));
  return `${Math.floor(p / 10000)}-${String(Math.floor(p / 100) % 100).padStart(2, "0")}`;
}

/** A deadline closed: on time or late, and how long it took (days, or hours for hour terms). */
export function closing(
  timeline: string, stage: string, officeId: string, status: "met" | "late", startedAtMs: number, closedAtMs: number, hours: boolean, by = 1,
): Bump[] {
  const month = monthOf(closedAtMs);
  const took = hours
    ? `h${Math.max(0, Math.floor((closedAtMs - startedAtMs) / 3_600_000))}`
    : `d${Math.max(0, romeDay(closedAtMs) - romeDay(startedAtMs))}`;
  return [
    { month, officeId, metric: `${timeline}:${stage}:${status}`, by },
    { month, officeId, metric: `${timeline}:${stage}:${took}`, by },
  ];
}

/** An event on a timeline, and its outcome when it has one. */
export function occurrence(timeline: string, type: string, officeId: string, at: number, outcome: unknown, by = 1): Bump[] {
  const month = monthOf(at);
  const bumps = [{ month, officeId, metric: `${timeline}:event:${type}`, by }];
  if (typeof outcome === "string") bumps.push({ month, officeId, metric: `${timeline}:event:${type}:${outcome}`, by });
  return bumps;
}

/** An escalation sent about an office's deadline. */
export function escalation(timeline: string, stage: string, officeId: string, at: number): Bump[] {
  return [{ month: monthOf(at), officeId, metric: `${timeline}:${stage}:escalated`, by: 1 }];
}
