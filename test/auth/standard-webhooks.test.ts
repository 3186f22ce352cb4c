import { describe, expect, it } from "vitest";
import { sign, verify } from "../../src/auth/standard-webhooks.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const secrets = [{ senderId: "s", secretId: "k1", secret: SECRET }];
const NOW = 1_700_000_000;
const body = '{"test": 2432232314}';

describe("Standard Webhooks verification", () => {
  it("matches the specification's published example signature", async () => {
    // The example in the Standard Webhooks specification and its reference libraries.
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const ts = 1614265330;
    expect(await sign(SECRET, id, ts, body)).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    const ok = await verify({ id, timestamp: String(ts), signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" }, body, secrets, ts);
    expect(ok).toEqual({ ok: true, senderId: "s", secretId: "k1" });
  });

  it("accepts any one valid entry among several, and refuses a changed body", async () => {
    const sig = await sign(SECRET, "msg_1", NOW, body);
    const h = { id: "msg_1", timestamp: String(NOW), signature: `v1,bm90LWEtc2lnbmF0dXJl ${sig}` };
    expect((await verify(h, body, secrets, NOW)).ok).toBe(true);
    expect(await verify(h, body + " ", secrets, NOW)).toEqual({ ok: false, failure: { reason: "no-matching-signature" } });
  });

  it("refuses timestamps more than 5 minutes off either way, and malformed ones", async () => {
    const sig = await sign(SECRET, "msg_1", NOW - 301, body);
    expect(await verify({ id: "msg_1", timestamp: String(NOW - 301), signature: sig }, body, secrets, NOW)).toEqual({
      ok: false, failure: { reason: "stale-timestamp", skewSeconds: 301 },
    });
    const ok = await sign(SECRET, "msg_1", NOW + 300, body);
    expect((await verify({ id: "msg_1", timestamp: String(NOW + 300), signature: ok }, body, secrets, NOW)).ok).toBe(true);
    expect((await verify({ id: "msg_1", timestamp: "1.5e9", signature: ok }, body, secrets, NOW)).ok).toBe(false);
    expect(await verify({ id: null, timestamp: String(NOW), signature: ok }, body, secrets, NOW)).toEqual({ ok: false, failure: { reason: "missing-headers" } });
  });
});
