/**
 * QStash's request signature, checked as the SDK's Receiver checks it (`Upstash-Signature`: an
 * HS256 JWT by the current signing key, or the next one during a rotation; issuer "Upstash",
 * within its nbf/exp, subject the very URL called, `body` the base64url SHA-256 of the body) with
 * WebCrypto alone: the SDK's Receiver brings `jose` for this one check (about 6 KiB of the bundle).
 * test/oracle/qstash-signature.test.ts holds the two to the same verdicts.
 */

export class QStashSignatureInvalid extends Error {
  override name = "QStashSignatureInvalid";
}

const utf8 = new TextEncoder();

function b64urlBytes(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new QStashSignatureInvalid("not base64url");
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

const b64url = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function signedBy(key: string, signingInput: string, signature: Uint8Array): Promise<boolean> {
  const k = await crypto.subtle.importKey("raw", utf8.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return crypto.subtle.verify("HMAC", k, signature, utf8.encode(signingInput));
}

/** The JWT's claims if the signature is QStash's for this URL and body at `nowMs`; else QStashSignatureInvalid. */
export async function verifyQStashSignature(
  req: { signature: string; body: string; url: string }, keys: readonly [string, string], nowMs: number,
): Promise<{ jti?: string; exp?: number }> {
  const parts = req.signature.split(".");
  if (parts.length !== 3) throw new QStashSignatureInvalid("not a JWS");
  const [head, payload, sig] = parts as [string, string, string];
  let header: { alg?: unknown; crit?: unknown };
  let claims: { iss?: unknown; sub?: unknown; exp?: unknown; nbf?: unknown; iat?: unknown; body?: unknown; jti?: string };
  let bytes: Uint8Array;
  try {
    header = JSON.parse(new TextDecoder().decode(b64urlBytes(head)));
    claims = JSON.parse(new TextDecoder().decode(b64urlBytes(payload)));
    bytes = b64urlBytes(sig);
  } catch {
    // Not base64url (atob refuses a length of 1 mod 4, too) or not JSON: refused, never a 500.
    throw new QStashSignatureInvalid("unreadable");
  }
  if (header.alg !== "HS256" || header.crit !== undefined || typeof claims !== "object" || claims === null) throw new QStashSignatureInvalid("header");
  const input = `${head}.${payload}`;
  if (!(await signedBy(keys[0], input, bytes)) && !(await signedBy(keys[1], input, bytes))) throw new QStashSignatureInvalid("signature");
  const now = Math.floor(nowMs / 1000);
  if (claims.iss !== "Upstash") throw new QStashSignatureInvalid("issuer");
  // jose refuses a non-numeric iat even without a maximum age.
  if (claims.iat !== undefined && typeof claims.iat !== "number") throw new QStashSignatureInvalid("iat");
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || claims.exp <= now)) throw new QStashSignatureInvalid("expired");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || claims.nbf > now)) throw new QStashSignatureInvalid("not yet valid");
  if (claims.sub !== req.url) throw new QStashSignatureInvalid("subject");
  const hash = b64url(await crypto.subtle.digest("SHA-256", utf8.encode(req.body)));
  if (typeof claims.body !== "string" || claims.body.replace(/=+$/, "") !== hash) throw new QStashSignatureInvalid("body");
  return claims as { jti?: string; exp?: number };
}
