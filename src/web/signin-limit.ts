/**
 * Sign-in requests per client address per window, whatever the sign-in (an email link, an OpenID
 * provider): counted and recorded in one batch, the address stored as an HMAC keyed with the
 * deployment's RATE_LIMIT_KEY and purged after the window (purgeSignIn).
 */
import { and, count, eq, gt } from "drizzle-orm";
import { hmacHex } from "../lib/digest.js";
import { rateLimitKey } from "../deployment.js";
import { database } from "../db/client.js";
import { signInRequests } from "../db/schema.js";
import type { Bindings } from "../env.js";

/** Sign-in requests per client (network address) per window, whatever the addresses asked for. */
const CLIENT_RATE_LIMIT = 20;
export const RATE_WINDOW_MS = 15 * 60_000;

/**
 * Records this request; false when the client had already made CLIENT_RATE_LIMIT in the window.
 * `bucket`: each way of signing in counts on its own (a clerk who asked for links can still use the provider).
 */
export async function withinClientLimit(env: Bindings, ip: string | undefined, now: number, bucket: "link" | "oidc" = "link"): Promise<boolean> {
  const db = database(env.DB);
  const client = await hmacHex(rateLimitKey(env), bucket === "link" ? `client:${ip ?? "local"}` : `${bucket}:${ip ?? "local"}`);
  const [fromClient] = await db.batch([
    db.select({ n: count() }).from(signInRequests).where(and(eq(signInRequests.clientHash, client), gt(signInRequests.at, now - RATE_WINDOW_MS))),
    db.insert(signInRequests).values({ clientHash: client, at: now }),
  ]);
  return (fromClient[0]?.n ?? 0) < CLIENT_RATE_LIMIT;
}
