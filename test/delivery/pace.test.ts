/** The mailer spaces its requests to the provider's rate: no second holds more than the limit. */
import { expect, it } from "vitest";
import { pace } from "../../src/notify/resend-mailer.js";

it("spaces back-to-back requests a rate's interval apart, and lets a request through at once when the last was long ago", async () => {
  // A slot of the test's own: the isolate's, shared with every file run in this workerd, stays where it was.
  const slots = { next: 0 };
  const now = Date.now();
  const waits = [];
  for (let i = 0; i < 5; i++) waits.push(await pace(50, now, slots));
  expect(waits).toEqual([0, 20, 40, 60, 80]);
  expect(await pace(50, now + 10_000, slots)).toBe(0);
});
