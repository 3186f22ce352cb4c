/** What a computed term is: a leaf, so that the hour rules and the term share it without importing each other. */
import type { Step } from "./steps.js";

export type Flag =
  /** The due day is a public holiday or a local office closure. */
  | "officeClosed"
  /** The term was moved past holidays (or a Saturday, civil). */
  | "extended"
  /** A month or year term ends on a holiday and is not moved: see extendedDate. */
  | "notExtended"
  /** A date the law fixes falls on a holiday: due on it, the moved date a possible extension (extendedDate). */
  | "possibleExtension"
  /** The day number does not exist in the final month: its last day applies. */
  | "monthEnd"
  /** The August suspension changed the date. */
  | "augustSuspension"
  /** An hour term crosses a change to or from summer time. */
  | "summerTimeChange";

export interface Term {
  /** The last instant the act is on time, RFC 3339 with the Rome offset. */
  dueAt: string;
  dueAtMs: number;
  /** Day, month and year terms. */
  dueDate: string | undefined;
  /** The date before any holiday or Saturday extension, when it differs. */
  plainDate: string | undefined;
  /** Month and year terms not moved by law: the date an extension would give. */
  extendedDate: string | undefined;
  flags: Flag[];
  steps: Step[];
}
