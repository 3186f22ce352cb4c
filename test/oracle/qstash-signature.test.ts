/**
 * Termini's check of QStash's signature gives the SDK's Receiver's verdict (the reference) on the
 * same requests: valid ones under either key, and each way one can be wrong.
 */
import { Receiver } from "@upstash/qstash";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { verifyQStashSignature } from "../../src/outbound/qstash-signature.js";

const CURRENT = "sig_current_key_for_the_oracle_test_0001";
const NEXT = "sig_next_key_for_the_oracle_test_00000002";
const URL_CALLED = "https://termini.example/webhooks/qstash/relay?district=TO";
const BODY = '{"deliveryId":"d-1","attempt":1}';

async function bodyHash(body: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  return Buffer.from(d).toString("base64url");
}

async function token(o: { key?: string; iss?: string; sub?: string; body?: string; exp?: number; nbf?: number; alg?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: o.body ?? (await bodyHash(BODY)) })
    .setProtectedHeader({ alg: o.alg ?? "HS256", typ: "JWT" })
    .setIssuer(o.iss ?? "Upstash").setSubject(o.sub ?? URL_CALLED).setIssuedAt(now).setJti(`jwt_${Math.random()}`)
    .setNotBefore(o.nbf ?? now).setExpirationTime(o.exp ?? now + 300)
    .sign(new TextEncoder().encode(o.key ?? CURRENT));
}

async function verdicts(signature: string, body = BODY, url = URL_CALLED): Promise<[boolean, boolean]> {
  const sdk = await new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT, devMode: false }).verify({ signature, body, url }).then(() => true, () => false);
  const ours = await verifyQStashSignature({ signature, body, url }, [CURRENT, NEXT], Date.now()).then(() => true, () => false);
  return [sdk, ours];
}

describe("QStash's signature, checked as the SDK checks it", () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<[boolean, boolean]>, boolean][] = [
    ["signed with the current key", async () => verdicts(await token()), true],
    ["signed with the next key (a rotation)", async () => verdicts(await token({ key: NEXT })), true],
    ["signed with another key", async () => verdicts(await token({ key: "sig_someone_else_entirely_000000000000" })), false],
    ["another issuer", async () => verdicts(await token({ iss: "Someone" })), false],
    ["for another URL", async () => verdicts(await token({ sub: "https://termini.example/webhooks/qstash/relay?district=MI" })), false],
    ["another body", async () => verdicts(await token(), '{"deliveryId":"d-2","attempt":1}'), false],
    ["expired", async () => verdicts(await token({ exp: now - 10, nbf: now - 400 })), false],
    ["not yet valid", async () => verdicts(await token({ nbf: now + 120 })), false],
    ["the body hash with its padding", async () => verdicts(await token({ body: `${await bodyHash(BODY)}=` })), true],
    ["a signature cut short", async () => verdicts((await token()).slice(0, -4)), false],
    ["not a JWT", async () => verdicts("abc.def"), false],
    ["a signature segment no base64 can be (length 1 mod 4)", async () => verdicts("e30.e30.AAAAA"), false],
    ["an iat that is not a number", async () => verdicts(await new SignJWT({ body: await bodyHash(BODY), iat: "ieri" } as never)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" }).setIssuer("Upstash").setSubject(URL_CALLED).setNotBefore(now).setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(CURRENT))), false],
  ];
  for (const [name, run, valid] of cases) {
    it(`${name}: ${valid ? "accepted" : "refused"} by both`, async () => {
      expect(await run()).toEqual([valid, valid]);
    });
  }
});
