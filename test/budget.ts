/**
 * How many random cases a sampling test tries. `npm test` (and so every landing) runs the full
 * budget. `npm run test:unit`, the edit–run loop, sets TERMINI_TEST_BUDGET=quick: the same
 * properties over a fifth of the cases (at least one), seeded as before, so a failure there is a
 * failure of the full run too. Inside workerd the variable arrives as a binding, passed in.
 */
export function runs(full: number, budget: string | undefined = globalThis.process?.env?.TERMINI_TEST_BUDGET): number {
  return budget === "quick" ? Math.max(1, Math.ceil(full / 5)) : full;
}
