/**
 * Stands in for neverthrow in the Worker bundle (wrangler.jsonc "alias").
 * The QStash SDK uses it only in its workflow helpers, which Termini never
 * runs (it publishes with fetch and verifies with the SDK's Receiver);
 * leaving it out keeps the bundle within its size target. Should anything
 * ever call it, it fails loudly rather than silently.
 */
function missing(): never {
  throw new Error("neverthrow is not bundled: Termini does not run QStash workflows");
}
export const ok = missing;
export const err = missing;
