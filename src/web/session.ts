/**
 * Web sessions: a random id in a Secure, HttpOnly, SameSite=Lax cookie,
 * stored hashed server-side with its CSRF token; every form posts that
 * token back. Before sign-in, a short-lived CSRF cookie plays the same role.
 */
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env.js";
import { sha256Hex } from "../lib/digest.js";
import type { Principal } from "../auth/principal.js";
import { audit } from "../db/audit.js";
import { database } from "../db/client.js";
import { type UserRole, offices, sessions, userOffices, users } from "../db/schema.js";
import { ApiError } from "../http/problem.js";

const SESSION_COOKIE = "termini_session";
export const PRE_CSRF_COOKIE = "termini_csrf";
const SESSION_HOURS = 8;

export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const cookieOptions = { httpOnly: true, secure: true, sameSite: "Lax" as const, path: "/" };

import type { WebUser } from "../env.js";

export type { WebUser };

const PRINCIPAL_ROLE: Record<UserRole, Principal["role"]> = { operator: "staff", head: "staff", admin: "admin", region: "region", ministry: "ministry", dpo: "dpo" };

/** Where to go after signing in: a path of this site only, never another origin. */
export const safeNext = (next: unknown) => (typeof next === "string" && /^\/[A-Za-z0-9/_%.-]*$/.test(next) && !next.startsWith("//") ? next : "/");

/** `provider`: the OpenID provider that signed the user in (its sign-out follows ours); null: the email link. */
export async function startSession(c: Context<AppEnv>, userId: string, now: number, provider: string | null = null): Promise<void> {
  const id = randomToken();
  await database(c.env.DB).insert(sessions).values({
    idHash: await sha256Hex(id), userId, csrf: randomToken(), createdAt: now, expiresAt: now + SESSION_HOURS * 3_600_000, provider,
  }).run();
  setCookie(c, SESSION_COOKIE, id, { ...cookieOptions, maxAge: SESSION_HOURS * 3600 });
}

export async function currentUser(c: Context<AppEnv>, now: number): Promise<WebUser | undefined> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id === undefined || id.length < 20) return undefined;
  const db = database(c.env.DB);
  const row = await db.select({ s: sessions, u: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, await sha256Hex(id)), gt(sessions.expiresAt, now), isNull(sessions.revokedAt), isNull(users.disabledAt))).get();
  if (row === undefined) return undefined;
  const mine = await db.select({ id: userOffices.officeId, name: offices.name }).from(userOffices)
    .leftJoin(offices, eq(offices.id, userOffices.officeId)).where(eq(userOffices.userId, row.u.id)).all();
  return {
    id: row.u.id, email: row.u.email, name: row.u.name, officeNames: mine.map((o) => o.name ?? o.id), role: row.u.role, csrf: row.s.csrf, session: row.s.idHash, sessionEnds: row.s.expiresAt,
    principal: { id: `user:${row.u.id}`, role: PRINCIPAL_ROLE[row.u.role], offices: new Set(mine.map((o) => o.id)), region: row.u.region },
  };
}

/** The first sign-in, whichever way, accepts the invitation: the user is no longer "invitato". */
export async function acceptInvitation(c: Context<AppEnv>, userId: string, now: number): Promise<void> {
  const db = database(c.env.DB);
  const accepted = await db.update(users).set({ acceptedAt: now }).where(and(eq(users.id, userId), isNull(users.acceptedAt))).returning({ id: users.id }).all();
  if (accepted.length > 0) await audit(db, { actor: `user:${userId}`, action: "user.accepted", caseId: null, requestId: c.get("requestId"), detail: {} }, now);
}

/** Ends the session; returns the OpenID provider that had signed it in, if any. */
export async function endSession(c: Context<AppEnv>, now: number): Promise<string | null> {
  const id = getCookie(c, SESSION_COOKIE);
  setCookie(c, SESSION_COOKIE, "", { ...cookieOptions, maxAge: 0 });
  if (id === undefined) return null;
  const [ended] = await database(c.env.DB).update(sessions).set({ revokedAt: now })
    .where(and(eq(sessions.idHash, await sha256Hex(id)), isNull(sessions.revokedAt))).returning({ provider: sessions.provider }).all();
  return ended?.provider ?? null;
}

/** Pages that need a signed-in user: others go to the sign-in page. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const user = await currentUser(c, Date.now());
  if (user === undefined) return c.redirect(`/accedi?dopo=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
  // The data-protection officer reads the audit log, and cannot see or change anything else.
  const path = new URL(c.req.url).pathname;
  if (user.role === "dpo" && path !== "/" && !/^\/admin\/registro(\/|$)/.test(path)) throw new ApiError("forbidden", "Il responsabile della protezione dei dati consulta solo il registro degli accessi");
  c.set("user", user);
  await next();
});

/** The CSRF token before sign-in: a cookie the form must echo. */
export function preSessionCsrf(c: Context<AppEnv>): string {
  const existing = getCookie(c, PRE_CSRF_COOKIE);
  if (existing !== undefined && existing.length >= 20) return existing;
  const token = randomToken();
  setCookie(c, PRE_CSRF_COOKIE, token, { ...cookieOptions, maxAge: 3600 });
  return token;
}

export function checkCsrf(expected: string | undefined, sent: unknown): void {
  if (expected === undefined || typeof sent !== "string" || sent.length !== expected.length || sent !== expected) {
    throw new ApiError("forbidden", "Modulo scaduto o non valido: ricaricare la pagina e riprovare");
  }
}
