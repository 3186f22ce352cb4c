/**
 * The fake Resend behaves as Resend documents its idempotency keys, so that
 * the delivery tests prove what they claim against the real provider.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fakeResend } from "./client.js";

const fake = fakeResend("fidelity");
const email = (subject = "Promemoria") => ({ from: "Termini <termini@example.org>", to: ["ufficio@example.org"], subject, text: "t", html: "<p>t</p>" });

async function post(body: unknown, key: string | null, authorization = `Bearer ${fake.key}`) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Authorization: authorization };
  if (key !== null) headers["Idempotency-Key"] = key;
  const res = await fetch(`${fake.url}/emails`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id?: string; name?: string; statusCode?: number } };
}

beforeEach(async () => { await fake.reset(); });

describe("idempotency keys", () => {
  it("answers a repeated key with the first email's id and sends nothing more", async () => {
    const a = await post(email(), "k-1");
    const b = await post(email(), "k-1");
    expect(a.status).toBe(200);
    expect(b).toEqual({ status: 200, body: { id: a.body.id } });
    expect(await fake.delivered()).toHaveLength(1);
  });

  it("refuses the same key with another payload: 409 invalid_idempotent_request", async () => {
    await post(email("uno"), "k-2");
    const b = await post(email("due"), "k-2");
    expect(b).toMatchObject({ status: 409, body: { name: "invalid_idempotent_request", statusCode: 409 } });
    expect(await fake.delivered()).toHaveLength(1);
  });

  it("refuses a key whose first request is still being processed: 409 concurrent_idempotent_requests", async () => {
    // The first held until released; the second sent once the fake is provably processing the first.
    await fake.script({ to: "ufficio@example.org", hold: true });
    const first = post(email(), "k-3");
    await vi.waitUntil(async () => (await fake.inFlight()).includes("k-3"), { timeout: 30_000, interval: 20 });
    expect(await post(email(), "k-3")).toMatchObject({ status: 409, body: { name: "concurrent_idempotent_requests" } });
    expect(await fake.release("ufficio@example.org")).toBe(1);
    expect((await first).status).toBe(200);
    expect(await fake.delivered()).toHaveLength(1);
  });

  it("refuses a key longer than 256 characters: 400 invalid_idempotency_key", async () => {
    expect(await post(email(), "k".repeat(257))).toMatchObject({ status: 400, body: { name: "invalid_idempotency_key" } });
  });

  it("keeps no trace of a failed request: the key may be used again", async () => {
    await fake.script({ to: "ufficio@example.org", statuses: [500] });
    expect((await post(email(), "k-4")).status).toBe(500);
    expect((await post(email(), "k-4")).status).toBe(200);
    expect(await fake.delivered()).toHaveLength(1);
  });

  it("forgets a key after 24 hours", async () => {
    await post(email(), "k-5");
    await fake.advanceClock(24 * 3_600_000 + 1);
    await post(email(), "k-5");
    expect(await fake.delivered()).toHaveLength(2);
  });
});

describe("requests", () => {
  it("refuses a missing API key with 401 and a missing recipient with 422", async () => {
    expect((await post(email(), null, "")).status).toBe(401);
    expect((await post({ ...email(), to: [] }, null)).status).toBe(422);
  });

  it("answers every request with the outage's status while it lasts", async () => {
    await fake.outage(503);
    expect((await post(email(), "k-6")).status).toBe(503);
    await fake.outage(null);
    expect((await post(email(), "k-6")).status).toBe(200);
  });
});

describe("rate limit", () => {
  it("answers requests above the account's rate in one second with 429 rate_limit_exceeded and retry-after, as Resend does", async () => {
    await fake.rateLimit(5);
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) =>
      fetch(`${fake.url}/emails`, {
        method: "POST", body: JSON.stringify(email()),
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${fake.key}`, "Idempotency-Key": `rl-${i}` },
      })));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("ratelimit-limit")).toBe("5");
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(((await refused.json()) as { name: string }).name).toBe("rate_limit_exceeded");
    expect((await fake.delivered()).length).toBe(5);
    // A second later (the fake's clock moved on, not the test's) the window has room again.
    await fake.advanceClock(1_100);
    expect((await post(email(), "rl-late")).status).toBe(200);
  });
});
