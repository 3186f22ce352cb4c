/**
 * npm run bench — term computations per second over a realistic mix: the
 * engine (parse + compute + explanation) against the straightforward
 * Luxon + date-holidays implementation, in the same run.
 */
import { parseInstant } from "../src/engine/instant.js";
import { computeTerm } from "../src/engine/term.js";
import { termBody } from "../src/routes/terms.js";
import { baselineTerm } from "./baseline.js";
import { mix } from "./mix.js";

function engineTerm(i: ReturnType<typeof mix>[number]) {
  const p = parseInstant(i.from);
  if (!p.ok) throw new Error(i.from);
  const r = computeTerm({
    from: p.ms, amount: i.amount, unit: i.unit, regime: i.regime, calendar: i.calendar, feriale: i.feriale,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.failure));
  return r.term;
}

/**
 * What the timed loop builds: the route's whole answer (the input, the due instant, flags and
 * every Italian step), serialised as the route serialises it. JSON.stringify reads every string
 * to its end, so no part of the explanation can stay unbuilt.
 */
function engine(i: ReturnType<typeof mix>[number]): string {
  return JSON.stringify(termBody({ from: i.from, amount: i.amount, unit: i.unit, regime: i.regime, calendar: i.calendar, feriale: i.feriale }, engineTerm(i)));
}

/** The same answer built but not serialised: every step read to its last character (so it is flat). */
function engineUnserialised(i: ReturnType<typeof mix>[number]): string {
  const t = engineTerm(i);
  let last = t.dueAt;
  for (const s of t.steps) last = s.text.charAt(s.text.length - 1) + s.citation.charAt(s.citation.length - 1);
  return last;
}

/** The baseline under the same rule: its whole answer, serialised. */
function baseline(i: ReturnType<typeof mix>[number]): string {
  return JSON.stringify({ input: i, ...baselineTerm(i) });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Runs `rounds` passes over the inputs; returns the median computations per second. */
function measure(inputs: ReturnType<typeof mix>, rounds: number, fn: (i: ReturnType<typeof mix>[number]) => string): number {
  const rates: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const i of inputs) sink += fn(i).length;
    rates.push(inputs.length / ((performance.now() - t0) / 1000));
  }
  if (sink === 0) throw new Error("nothing computed");
  return median(rates);
}

const inputs = mix(50_000);
let mismatches = 0;
for (const i of inputs.slice(0, 5_000)) if (engineTerm(i).dueAt !== baselineTerm(i).dueAt) mismatches++;

measure(inputs, 3, engine); // warm-up
const fast = measure(inputs, 15, engine);
const unserialised = measure(inputs, 15, engineUnserialised);
// The ceiling the serialised rate cannot pass: JSON.stringify alone of the same answers, built beforehand.
const built = inputs.map((i) => termBody({ from: i.from, amount: i.amount, unit: i.unit, regime: i.regime, calendar: i.calendar, feriale: i.feriale }, engineTerm(i)));
let next = 0;
const stringifyOnly = measure(inputs, 15, () => JSON.stringify(built[next++ % built.length]));
const baselineInputs = inputs.slice(0, 2_000);
measure(baselineInputs, 1, baseline); // warm-up
const slow = measure(baselineInputs, 5, baseline);

const f = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`node ${process.version}, mix of ${inputs.length} inputs (seeded), agreement on 5,000: ${mismatches} mismatches`);
console.log(`engine (parse + compute + steps + JSON answer):  ${f(fast)} computations/s (median of 15 rounds)`);
console.log(`  the same without JSON.stringify:              ${f(unserialised)} computations/s (median of 15 rounds)`);
console.log(`  JSON.stringify alone of the built answers:    ${f(stringifyOnly)} answers/s (the ceiling for the first line)`);
console.log(`baseline (Luxon + date-holidays, JSON answer):    ${f(slow)} computations/s (median of 5 rounds)`);
console.log(`ratio: ${(fast / slow).toFixed(1)}x`);
if (mismatches > 0) process.exitCode = 1;
