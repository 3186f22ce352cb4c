/**
 * The part of `jose` the QStash SDK's Receiver calls, for HS256 only
 * (wrangler.jsonc "alias"): QStash signs every request with HMAC-SHA256,
 * and the whole of jose (RSA, EC, JWE, JWK sets) would take the bundle over
 * its size target. The Receiver's own logic — the current key, then the
 * next; the subject against the URL; the body's hash — runs unchanged.
 *
 * Strict by construction: only `{"alg":"HS256"}` tokens, the signature
 * checked in constant time by WebCrypto before any claim is believed, the
 * issuer required, `exp` and `nbf` enforced with the caller's tolerance.
 */
const encoder = new TextEncoder();

function bytes(b64url: string): Uint8Array {
  const b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

export const base64url = {
  encode(input: Uint8Array | string): string {
    const data = typeof input === "string" ? encoder.encode(input) : input;
    return btoa(String.fromCharCode(...data)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
  decode: bytes,
};

export class JWTInvalid extends Error {
  override name = "JWTInvalid";
}

function json(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes(part))) as unknown;
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new JWTInvalid("malformed token");
}

function seconds(tolerance: string | number | undefined): number {
  if (tolerance === undefined) return 0;
  if (typeof tolerance === "number") return tolerance;
  const m = /^(\d+)\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes)?$/.exec(tolerance.trim());
  if (m === null) throw new TypeError("clockTolerance: a number of seconds or minutes");
  return Number(m[1]) * (m[2]?.startsWith("m") === true ? 60 : 1);
}

export async function jwtVerify(
  token: string, secret: Uint8Array, options: { issuer?: string; clockTolerance?: string | number } = {},
): Promise<{ payload: Record<string, unknown>; protectedHeader: Record<string, unknown> }> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JWTInvalid("not a compact JWS");
  const [head, body, sig] = parts as [string, string, string];
  const header = json(head);
  if (header.alg !== "HS256" || header.crit !== undefined) throw new JWTInvalid("only HS256 is accepted");
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  if (!(await crypto.subtle.verify("HMAC", key, bytes(sig), encoder.encode(`${head}.${body}`)))) throw new JWTInvalid("signature verification failed");
  const payload = json(body);
  const now = Math.floor(Date.now() / 1000);
  const tolerance = seconds(options.clockTolerance);
  if (options.issuer !== undefined && payload.iss !== options.issuer) throw new JWTInvalid('unexpected "iss" claim value');
  if (typeof payload.exp !== "number" || payload.exp <= now - tolerance) throw new JWTInvalid('"exp" claim timestamp check failed');
  if (payload.nbf !== undefined && (typeof payload.nbf !== "number" || payload.nbf > now + tolerance)) throw new JWTInvalid('"nbf" claim timestamp check failed');
  return { payload, protectedHeader: header };
}
