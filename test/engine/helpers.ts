import { daysFromCivil } from "../../src/engine/civil.js";
import { parseInstant } from "../../src/engine/instant.js";
import { type Term, type TermInput, computeTerm } from "../../src/engine/term.js";

/** Computes a term from an RFC 3339 string, failing the test on any refusal. */
export function term(
  input: Omit<TermInput, "from" | "calendar" | "feriale" | "instituted"> & Partial<Pick<TermInput, "calendar" | "feriale">> & { from: string; instituted?: string },
): Term {
  const from = parseInstant(input.from);
  if (!from.ok) throw new Error(`unparseable ${input.from}: ${from.reason}`);
  const instituted = input.instituted === undefined ? undefined : daysFromCivil(+input.instituted.slice(0, 4), +input.instituted.slice(5, 7), +input.instituted.slice(8, 10));
  const outcome = computeTerm({ calendar: "IT", feriale: "ignore", ...input, from: from.ms, instituted });
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.failure)}`);
  return outcome.term;
}
