/**
 * A timeline is typed data: the same engine and workflow run every one.
 * Each stage cites its legal basis; reminders and escalations are rungs
 * whose recipients come from the office directory, never from code.
 */
import type { Feriale, Regime, Unit } from "../engine/term.js";

export interface TermSpec {
  amount: number;
  unit: Unit;
  regime: Regime;
  feriale: Feriale;
}

export interface StageDefinition {
  id: string;
  /** Italian, shown in emails and pages. */
  title: string;
  basis: string;
  /** The event type whose occurredAt starts the term. */
  startsOn: string;
  term: TermSpec;
  /** The role, among the case's offices, that must act. */
  office: string;
  /** Events that close the stage, with the outcome they record. */
  closesOn: Record<string, string>;
}

/** When a rung fires, relative to the deadline. */
export type RungTime =
  /** At a Rome local time on the day `days` before the due date (0 = the due day). */
  | { kind: "before-due-date"; days: number; time: string }
  /** `days` calendar days after the deadline has passed (0 = the instant it passes). */
  | { kind: "after-due"; days: number };

export interface RungDefinition {
  id: string;
  kind: "reminder" | "escalation";
  at: RungTime;
  /** 0 = the responsible office; n = n steps up its escalation chain. */
  level: number;
}

export interface TimelineDefinition {
  id: string;
  version: number;
  title: string;
  basis: string;
  status: "in-force" | "bill";
  /** The event that starts an instance. */
  trigger: string;
  /** Office roles the trigger must resolve, and the directory kind of each. */
  roles: Record<string, string>;
  stages: StageDefinition[];
  rungs: RungDefinition[];
  /** Open points and decisions users should see next to the dates. */
  notes: string[];
}
