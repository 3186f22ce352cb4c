/**
 * Stands in for the standardwebhooks library in the Worker bundle
 * (wrangler.jsonc "alias"). The Resend SDK imports it only to verify
 * Resend's own webhooks, which Termini does not receive; Termini signs and
 * verifies Standard Webhooks itself with WebCrypto (src/auth/standard-webhooks.ts).
 * The tests' receivers verify with the real library, in Node.
 */
export class Webhook {
  constructor() {
    throw new Error("standardwebhooks is not bundled: Termini verifies signatures with src/auth/standard-webhooks.ts");
  }
}
