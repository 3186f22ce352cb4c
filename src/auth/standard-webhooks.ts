/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256
 * over `id.timestamp.body` with the base64 key after `whsec_`, sent as one
 * or more space-separated `v1,<base64>` entries. Pure: `now` is passed in.
 */
const TOLERANCE_SECONDS = 5 * 60;

/** A rotated secret stays valid this long beside its successor, so the other side can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** A new secret: whsec_ and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
}

export interface SignedHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

export interface SenderSecret {
  senderId: string;
  secretId: string;
  secret: string;
  /** The secret's verifying key, when the caller keeps one imported (importing it costs more than a verification). */
  key?: () => Promise<CryptoKey> | undefined;
}

export type VerifyFailure =
  | { reason: "missing-headers" }
  | { reason: "bad-timestamp" }
  | { reason: "stale-timestamp"; skewSeconds: number }
  | { reason: "no-matching-signature" };

export type VerifyResult = { ok: true; senderId: string; secretId: string } | { ok: false; failure: VerifyFailure };

function base64ToBytes(b64: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function secretKeyBytes(secret: string): Uint8Array | undefined {
  return secret.startsWith("whsec_") ? base64ToBytes(secret.slice(6)) : undefined;
}

async function hmacKey(raw: Uint8Array, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** The key that verifies signatures made with a `whsec_` secret; undefined for a malformed secret. */
export function verifyingKey(secret: string): Promise<CryptoKey> | undefined {
  const raw = secretKeyBytes(secret);
  return raw === undefined ? undefined : hmacKey(raw, "verify");
}

/** The `webhook-signature` value a sender would send (used by tests, the benchmark and senders' docs). */
export async function sign(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secretKeyBytes(secret)!, "sign");
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

export async function verify(
  h: SignedHeaders, body: string, secrets: readonly SenderSecret[], nowSeconds: number,
): Promise<VerifyResult> {
  if (!h.id || !h.timestamp || !h.signature) return { ok: false, failure: { reason: "missing-headers" } };
  if (!/^\d{1,12}$/.test(h.timestamp)) return { ok: false, failure: { reason: "bad-timestamp" } };
  const skew = Math.abs(nowSeconds - Number(h.timestamp));
  if (skew > TOLERANCE_SECONDS) return { ok: false, failure: { reason: "stale-timestamp", skewSeconds: skew } };
  const signed = new TextEncoder().encode(`${h.id}.${h.timestamp}.${body}`);
  const candidates = h.signature
    .split(" ")
    .filter((s) => s.startsWith("v1,"))
    .map((s) => base64ToBytes(s.slice(3)))
    .filter((b): b is Uint8Array => b !== undefined && b.byteLength === 32);
  for (const s of secrets) {
    const key = await (s.key?.() ?? verifyingKey(s.secret));
    if (key === undefined) continue;
    // crypto.subtle.verify compares in constant time.
    for (const mac of candidates) {
      if (await crypto.subtle.verify("HMAC", key, mac, signed)) return { ok: true, senderId: s.senderId, secretId: s.secretId };
    }
  }
  return { ok: false, failure: { reason: "no-matching-signature" } };
}
