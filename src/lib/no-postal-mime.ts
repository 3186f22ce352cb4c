/**
 * Stands in for postal-mime in the Worker bundle (wrangler.jsonc "alias").
 * The Resend SDK imports it only to forward inbound mail, which Termini
 * never receives; leaving it out saves about 100 KB of the bundle. Should
 * anything ever call it, it fails loudly rather than silently.
 */
export default {
  parse(): never {
    throw new Error("postal-mime is not bundled: Termini does not parse inbound mail");
  },
};
