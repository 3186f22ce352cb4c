/** The tests' side of the fake receivers: one named endpoint per test. */
import { inject } from "vitest";
import type { Received } from "./server.js";

export function fakeEndpoint(name: string) {
  const base = inject("fakeEndpointsUrl");
  const control = async (action: string, body?: unknown) =>
    (await fetch(`${base}/__control/${action}?name=${encodeURIComponent(name)}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) })).json();
  return {
    url: `${base}/hooks/${encodeURIComponent(name)}`,
    /** The subscription's secret, with which it verifies; statuses to answer in turn (then 200), or always one; a delay. */
    setup: (s: { secret?: string; statuses?: number[]; always?: number | null; delayMs?: number }) => control("setup", s),
    received: async () => (await control("received")) as Received[],
    stats: async () => (await control("stats")) as { maxInFlight: number; inFlight: number; received: number },
  };
}
