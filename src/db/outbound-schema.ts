/** Drizzle's view of migrations/0014_outbound.sql (and 0022), held to it by test/db/schema-drift.test.ts. */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const subscriptions = sqliteTable("subscriptions", {
  id: text("id").primaryKey(),
  officeId: text("office_id").notNull(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  kinds: text("kinds", { mode: "json" }).$type<string[]>().notNull(),
  parallelism: integer("parallelism").notNull(),
  ratePerSecond: integer("rate_per_second").notNull(),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  disabledAt: integer("disabled_at"),
  failingSince: integer("failing_since"),
  flaggedAt: integer("flagged_at"),
  /** paused: by hand; failing: disabled by Termini after failing for WEBHOOK_DISABLE_AFTER_MS (migration 0022). */
  disabledReason: text("disabled_reason").$type<"paused" | "failing">(),
}, (t) => [
  index("subscriptions_office").on(t.officeId),
]);

export const subscriptionSecrets = sqliteTable("subscription_secrets", {
  id: text("id").primaryKey(),
  subscriptionId: text("subscription_id").notNull(),
  secret: text("secret").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
}, (t) => [
  index("subscription_secrets_subscription").on(t.subscriptionId),
]);

export const outboundEvents = sqliteTable("outbound_events", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  caseId: text("case_id"),
  body: text("body").notNull(),
  createdAt: integer("created_at").notNull(),
  /** What `seq` counts: the case, or the report (migration 0022); null for a test or sample event. */
  subject: text("subject"),
  /** One more than the subject's previous event: the payload's `sequence`. */
  seq: integer("seq"),
}, (t) => [
  index("outbound_events_case").on(t.caseId),
  uniqueIndex("outbound_events_subject_seq").on(t.subject, t.seq),
  index("outbound_events_created").on(t.createdAt),
]);

/**
 * pending: due at dueAt; published: accepted by QStash, outcome awaited; dead: given up (the dead-letter queue);
 * skipped: written while its subscription was off, never sent (in the event log; redeliverable).
 */
export type OutboundStatus = "pending" | "sending" | "published" | "delivered" | "dead" | "skipped";

export const outboundDeliveries = sqliteTable("outbound_deliveries", {
  id: text("id").primaryKey(),
  eventId: text("event_id").notNull(),
  subscriptionId: text("subscription_id").notNull(),
  instanceId: text("instance_id"),
  status: text("status").$type<OutboundStatus>().notNull(),
  dueAt: integer("due_at").notNull(),
  attempts: integer("attempts").notNull().default(0),
  claim: text("claim"),
  claimedAt: integer("claimed_at"),
  firstFailedAt: integer("first_failed_at"),
  lastStatus: integer("last_status"),
  lastError: text("last_error"),
  /** The start of the endpoint's last answer (migration 0022). */
  lastResponse: text("last_response"),
  /** The event log's order in this database: set by a trigger from outbound_log_counter, only grows (migration 0022). */
  logSeq: integer("log_seq"),
  deliveredAt: integer("delivered_at"),
  messageId: text("message_id"),
  dlqId: text("dlq_id"),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  index("outbound_deliveries_due").on(t.status, t.dueAt),
  index("outbound_deliveries_instance").on(t.instanceId, t.status),
  index("outbound_deliveries_subscription").on(t.subscriptionId, t.createdAt),
  index("outbound_deliveries_message").on(t.messageId),
  index("outbound_deliveries_in_flight").on(t.status, t.subscriptionId, t.claimedAt),
  index("outbound_deliveries_event").on(t.eventId),
  index("outbound_deliveries_log").on(t.subscriptionId, t.logSeq),
]);

/** The last log_seq given in this database (one row). */
export const outboundLogCounter = sqliteTable("outbound_log_counter", {
  id: integer("id").primaryKey(),
  n: integer("n").notNull(),
});

export const outboundAttempts = sqliteTable("outbound_attempts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  deliveryId: text("delivery_id").notNull(),
  at: integer("at").notNull(),
  via: text("via").$type<"direct" | "qstash" | "test">().notNull(),
  status: integer("status"),
  durationMs: integer("duration_ms"),
  error: text("error"),
  /** The start of the endpoint's answer, at most 1 KiB of text (migration 0022). */
  response: text("response"),
}, (t) => [
  index("outbound_attempts_delivery").on(t.deliveryId, t.at),
]);

export const qstashReceipts = sqliteTable("qstash_receipts", {
  jti: text("jti").primaryKey(),
  expiresAt: integer("expires_at").notNull(),
}, (t) => [
  index("qstash_receipts_expiry").on(t.expiresAt),
]);
