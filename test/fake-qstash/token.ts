/**
 * An Upstash-Signature as QStash makes one (HS256 JWT: iss Upstash, sub the
 * URL, iat/nbf/exp, a jti, body the base64url SHA-256 of the body), with
 * WebCrypto so that workerd tests and benches can sign; `o` breaks it on purpose.
 */
const b64url = (data: Uint8Array | string) =>
  btoa(String.fromCharCode(...(typeof data === "string" ? new TextEncoder().encode(data) : data))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export async function qstashToken(key: string, url: string, body: string, o: { exp?: number; nbf?: number; iss?: string; alg?: string; jti?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const head = b64url(JSON.stringify({ alg: o.alg ?? "HS256", typ: "JWT" }));
  const claims = b64url(JSON.stringify({
    iss: o.iss ?? "Upstash", sub: url, iat: now, nbf: o.nbf ?? now, exp: o.exp ?? now + 300, jti: o.jti ?? `jwt_${crypto.randomUUID()}`, body: b64url(hash),
  }));
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`${head}.${claims}`)));
  return `${head}.${claims}.${b64url(sig)}`;
}
