/** Staff API authentication: `Authorization: Bearer <token>`, stored as a SHA-256 hash. */
import { and, eq, isNull } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.js";
import { database } from "../db/client.js";
import { apiCredentials, credentialOffices } from "../db/schema.js";
import { ApiError } from "../http/problem.js";
import { sha256Hex } from "../lib/digest.js";

export const bearer = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer ([\x21-\x7e]{16,200})$/.exec(header);
  if (match === null) {
    // No credential at all, or something that cannot be one: each said as it is.
    const absent = header.trim() === "";
    c.header("WWW-Authenticate", absent ? 'Bearer realm="termini"' : 'Bearer realm="termini", error="invalid_token"');
    throw new ApiError("unauthorized", absent ? "Credenziale mancante: usare Authorization: Bearer <token>" : "Credenziale non valida");
  }
  const db = database(c.env.DB);
  const cred = await db
    .select()
    .from(apiCredentials)
    .where(and(eq(apiCredentials.tokenHash, await sha256Hex(match[1]!)), isNull(apiCredentials.revokedAt)))
    .get();
  if (cred === undefined) {
    c.header("WWW-Authenticate", 'Bearer realm="termini", error="invalid_token"');
    throw new ApiError("unauthorized", "Credenziale non valida");
  }
  const offices = await db.select().from(credentialOffices).where(eq(credentialOffices.credentialId, cred.id)).all();
  c.set("principal", { id: `credential:${cred.id}`, role: cred.role, offices: new Set(offices.map((o) => o.officeId)), region: cred.region, purpose: cred.purpose });
  await next();
});
