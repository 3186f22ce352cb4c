/** Cross-field rules of a stage that its schema alone cannot say. */
import type { Consequence, DateKind } from "./consequence.js";

/** The parts of a stage the rules read (structural, so that definition.ts can import this file). */
interface RuledStage {
  id: string;
  term: object;
  date: DateKind;
  informational: boolean;
  consequence: Consequence;
}

/**
 * What a stage's date is must agree with how it is counted, so that a new timeline cannot
 * move a length for holidays or remind an office of an earliest date:
 * - a term to act is counted by a regime (moved for holidays) or is a date the law fixes;
 * - a period's end, a length and an earliest date are never moved (weeks or anniversaries);
 * - a length or an earliest date is informational, with nothing to miss;
 * - a lapse says what has happened once it has.
 */
export function dateKindMismatches(s: RuledStage): string[] {
  const t = s.term as { regime?: string; anniversary?: string };
  const out: string[] = [];
  const counted = t.regime !== undefined;
  if (s.date === "term" && !counted) out.push(`stage ${s.id}: a term to act is counted by a regime or fixed by law`);
  if (s.date !== "term" && counted) out.push(`stage ${s.id}: a ${s.date} is never moved for holidays (weeks or anniversaries, not a regime)`);
  if (s.date === "earliest" && t.anniversary !== "earliest") out.push(`stage ${s.id}: an earliest date is counted as one`);
  if ((s.date === "length" || s.date === "period-end") && t.anniversary !== undefined && t.anniversary !== "lapse") out.push(`stage ${s.id}: a ${s.date} ends with its period`);
  const informational = s.date === "length" || s.date === "earliest";
  if (s.informational !== informational) out.push(`stage ${s.id}: informational exactly when the date is a length or an earliest date`);
  if (informational !== (s.consequence.kind === "not-a-term")) out.push(`stage ${s.id}: only a length or an earliest date has nothing to miss`);
  if ((s.consequence.kind === "lapse") !== (s.consequence.effect !== undefined)) out.push(`stage ${s.id}: a lapse, and only a lapse, says its effect`);
  return out;
}

