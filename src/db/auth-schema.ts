/** Drizzle's view of the web app's users, sessions and sign-in tables (migrations 0006–0008 are the source of truth). */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** dpo: the data-protection officer, who reads the audit log and nothing else. */
export type UserRole = "operator" | "head" | "admin" | "region" | "ministry" | "dpo";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  /** How the header and the lists name the user; null: the address stands in. */
  name: text("name"),
  role: text("role").$type<UserRole>().notNull(),
  region: text("region"),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
  /** The first sign-in through the invitation's link; null: still invited. */
  acceptedAt: integer("accepted_at"),
  /** Keyed digest of the fiscal number SPID/CIE providers identify the person by (migration 0021); never the number. */
  fiscalHash: text("fiscal_hash"),
}, (t) => [
  uniqueIndex("users_fiscal_hash").on(t.fiscalHash).where(sql`fiscal_hash IS NOT NULL`),
]);

export const userOffices = sqliteTable(
  "user_offices",
  { userId: text("user_id").notNull(), officeId: text("office_id").notNull() },
  (t) => [primaryKey({ columns: [t.userId, t.officeId] })],
);

export const signInLinks = sqliteTable("sign_in_links", {
  tokenHash: text("token_hash").primaryKey(),
  userId: text("user_id").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
}, (t) => [
  index("sign_in_links_user").on(t.userId, t.createdAt),
]);

export const sessions = sqliteTable("sessions", {
  idHash: text("id_hash").primaryKey(),
  userId: text("user_id").notNull(),
  csrf: text("csrf").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  revokedAt: integer("revoked_at"),
  /** The OpenID provider that signed this session in; null: the email link. */
  provider: text("provider"),
});

/** An authorization request to an OpenID provider on its way back (single use, minutes). */
export const oidcAttempts = sqliteTable("oidc_attempts", {
  stateHash: text("state_hash").primaryKey(),
  provider: text("provider").notNull(),
  codeVerifier: text("code_verifier").notNull(),
  nonce: text("nonce").notNull(),
  next: text("next").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
}, (t) => [
  index("oidc_attempts_expiry").on(t.expiresAt),
]);

/** A reason declared for consulting a case, for the rest of the session (migration 0021). */
export const declaredReasons = sqliteTable("declared_reasons", {
  sessionHash: text("session_hash").notNull(),
  caseId: text("case_id").notNull(),
  reason: text("reason").notNull(),
  expiresAt: integer("expires_at").notNull(),
}, (t) => [primaryKey({ columns: [t.sessionHash, t.caseId] })]);

export const calendarTokens = sqliteTable("calendar_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  userId: text("user_id").notNull(),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
}, (t) => [
  index("calendar_tokens_user").on(t.userId),
]);

export const signInRequests = sqliteTable("sign_in_requests", {
  clientHash: text("client_hash").notNull(),
  at: integer("at").notNull(),
}, (t) => [
  index("sign_in_requests_client").on(t.clientHash, t.at),
]);
