/** The tests' side of the fake Resend: one account (API key) per test file. */
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import type { Bindings } from "../../src/env.js";
import type { Delivered, Recorded } from "./server.js";

export function fakeResend(account: string) {
  const url = inject("fakeResendUrl");
  const key = `re_${account}`;
  const control = async (action: string, body?: unknown) => {
    const res = await fetch(`${url}/__control/${action}?account=${key}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
    return res.json();
  };
  return {
    key,
    url,
    reset: () => control("reset"),
    script: (s: { to: string; statuses?: number[]; always?: number; delayMs?: number; hold?: true }) => control("script", s),
    /** Processes the requests held for this recipient (script `hold`); resolves to how many there were. */
    release: async (to: string) => ((await control("release", { to })) as { released: number }).released,
    outage: (status: number | null) => control("outage", { status }),
    /** Resend's rate limit (requests per second per account); null: none. */
    rateLimit: (perSecond: number | null) => control("ratelimit", { perSecond }),
    advanceClock: (ms: number) => control("clock", { advanceMs: ms }),
    requests: async () => (await control("requests")) as (Recorded & { body: { to: string[]; subject: string; text: string; html: string; from: string } })[],
    delivered: async () => (await control("delivered")) as Delivered[],
    inFlight: async () => (await control("inflight")) as string[],
    /** The Worker's bindings with email through this account of the fake. */
    bindings: (settings: Partial<Record<string, string>> = {}): Bindings => ({ ...env, RESEND_API_KEY: key, RESEND_BASE_URL: url, ...settings } as Bindings),
  };
}
