/** Drizzle's view of the migrations (migrations/*.sql): test/db/schema-drift.test.ts fails when the two differ in a table, column or index. */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, unique, uniqueIndex } from "drizzle-orm/sqlite-core";

const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const offices = sqliteTable("offices", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  name: text("name").notNull(),
  jurisdiction: text("jurisdiction").notNull(),
  calendar: text("calendar").notNull().default("IT"),
  emails: json<string[]>("emails").notNull(),
  fallbackEmail: text("fallback_email").notNull(),
  escalatesTo: text("escalates_to"),
  /** The region (for reports), e.g. Piemonte. */
  region: text("region").notNull().default(""),
  /** The format of this office's case references (a regular expression); null: the RGNR form. */
  refPattern: text("ref_pattern"),
}, (t) => [
  index("offices_kind").on(t.kind, t.jurisdiction),
]);

/** A reference is unique for its owner office only (each Procura numbers its own register). */
export const cases = sqliteTable("cases", {
  id: text("id").primaryKey(),
  ref: text("ref").notNull(),
  /** The office whose reference it is. */
  ownerOfficeId: text("owner_office_id").notNull(),
  createdAt: integer("created_at").notNull(),
  createdBy: text("created_by").notNull(),
  /** Its creation, then every event recorded on it: retention counts from here (migration 0015). */
  lastActivityAt: integer("last_activity_at").notNull(),
}, (t) => [
  uniqueIndex("cases_owner_ref").on(t.ownerOfficeId, t.ref),
  index("cases_last_activity").on(t.lastActivityAt),
  index("cases_ref").on(t.ref),
  index("cases_created").on(t.createdAt, t.id),
]);

export const caseOffices = sqliteTable(
  "case_offices",
  {
    caseId: text("case_id").notNull(), officeId: text("office_id").notNull(), role: text("role").notNull(),
    /** The case's creation time, so that an office's cases are listed newest first by an index walk. */
    caseCreatedAt: integer("case_created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.officeId] }), index("case_offices_office").on(t.officeId, t.caseCreatedAt, t.caseId)],
);

export const events = sqliteTable("events", {
  id: text("id").primaryKey(),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  caseId: text("case_id").notNull(),
  type: text("type").notNull(),
  occurredAt: text("occurred_at").notNull(),
  occurredAtMs: integer("occurred_at_ms").notNull(),
  data: json<Record<string, unknown>>("data").notNull(),
  source: text("source").notNull(),
  receivedAt: integer("received_at").notNull(),
}, (t) => [
  index("events_case").on(t.caseId, t.occurredAtMs),
]);

export const timelineInstances = sqliteTable("timeline_instances", {
  id: text("id").primaryKey(),
  caseId: text("case_id").notNull(),
  timeline: text("timeline").notNull(),
  version: integer("version").notNull(),
  status: text("status").$type<"running" | "closed" | "withdrawn">().notNull(),
  startedByEvent: text("started_by_event").notNull(),
  startedAt: integer("started_at").notNull(),
  closedAt: integer("closed_at"),
  workflowId: text("workflow_id").notNull(),
}, (t) => [
  index("timeline_instances_case").on(t.caseId, t.startedAt),
  index("timeline_instances_started_by").on(t.startedByEvent),
  // At most one running instance of a timeline per case: two events racing to start it cannot both win.
  uniqueIndex("timeline_instances_running").on(t.caseId, t.timeline).where(sql`status = 'running'`),
]);

/**
 * informational: an earliest date or a length, never reminded; withdrawn: its starting event was
 * cancelled, or the measure lapsed before it; lapsed: it passed without its act and the law made
 * the measure lapse (its outcome says how).
 */
export const DEADLINE_STATUSES = ["open", "met", "late", "informational", "withdrawn", "lapsed"] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export const deadlines = sqliteTable("deadlines", {
  id: text("id").primaryKey(),
  instanceId: text("instance_id").notNull(),
  stage: text("stage").notNull(),
  /** The period of a recurring stage; 1 for others. */
  seq: integer("seq").notNull().default(1),
  officeId: text("office_id").notNull(),
  startedByEvent: text("started_by_event").notNull(),
  startedAtMs: integer("started_at_ms").notNull(),
  dueAt: text("due_at").notNull(),
  dueAtMs: integer("due_at_ms").notNull(),
  dueDate: text("due_date"),
  status: text("status").$type<DeadlineStatus>().notNull(),
  outcome: text("outcome"),
  explanation: json<unknown>("explanation").notNull(),
  closedAtMs: integer("closed_at_ms"),
  closedByEvent: text("closed_by_event"),
}, (t) => [
  unique().on(t.instanceId, t.stage, t.seq),
  index("deadlines_instance_due").on(t.instanceId, t.dueAtMs),
  index("deadlines_office").on(t.officeId, t.status, t.dueAtMs),
  index("deadlines_started_by").on(t.startedByEvent),
  index("deadlines_closed_by").on(t.closedByEvent),
]);

/** digested: waiting in a digest (digest_id), sent with it. */
export type NotificationStatus = "scheduled" | "sending" | "sent" | "failed" | "cancelled" | "superseded" | "digested";
/**
 * roll: not a message, the action that opens the next period of a rolling stage.
 * lapse: not a message, the action that records a measure's lapse when its stage passes without its act.
 * fallback and alert: a delivery still failing, told to the office's fallback address and to the administrators.
 */
/** A message as it was sent. */
export type SentCopy = { subject: string; text: string; html: string };

export type NotificationKind = "reminder" | "escalation" | "fallback" | "alert" | "notice" | "roll" | "lapse" | "digest";

/** What a notice announces. */
export type NoticeDetail =
  /** `reason`: why, when not a corrected event (e.g. a later start the law gives). */
  | { notice: "date-changed"; previousDueAt: string; reason?: string }
  | { notice: "withdrawn" }
  /** A message a timeline sends on an event (e.g. an intake, an anomaly, an outcome). */
  | { notice: "event"; text: string; eventType: string }
  /**
   * On a fallback or an alert: the delivery that keeps failing, as it stood when they
   * were written (fixed, so that each of their own attempts sends the same message).
   */
  | { notice: "delivery-failing"; rung: string; error: string; attempts: number; since: number; retryUntil: number | null };

export const notifications = sqliteTable("notifications", {
  id: text("id").primaryKey(),
  deadlineId: text("deadline_id").notNull(),
  instanceId: text("instance_id").notNull(),
  rung: text("rung").notNull(),
  kind: text("kind").$type<NotificationKind>().notNull(),
  officeId: text("office_id").notNull(),
  recipients: json<string[]>("recipients").notNull(),
  sendAtMs: integer("send_at_ms").notNull(),
  status: text("status").$type<NotificationStatus>().notNull(),
  attempts: integer("attempts").notNull().default(0),
  claimedAtMs: integer("claimed_at_ms"),
  sentAtMs: integer("sent_at_ms"),
  providerId: text("provider_id"),
  lastError: text("last_error"),
  detail: json<NoticeDetail>("detail"),
  /** The next attempt after a failure; null: the first attempt, at sendAtMs. */
  retryAtMs: integer("retry_at_ms"),
  firstFailedAtMs: integer("first_failed_at_ms"),
  /** The token of the sender holding the row; writes that follow a send are conditional on it. */
  claim: text("claim"),
  /** The digest this row went out in (status digested, then sent). */
  digestId: text("digest_id"),
  /** The message exactly as the provider accepted it (subject, text, HTML): what the outbox page opens. */
  sentCopy: json<SentCopy>("sent_copy"),
}, (t) => [
  unique().on(t.deadlineId, t.rung),
  index("notifications_due").on(t.status, t.sendAtMs),
  index("notifications_instance").on(t.instanceId, t.status),
  index("notifications_instance_send").on(t.instanceId, t.sendAtMs),
  index("notifications_digest").on(t.digestId),
  index("notifications_deadline_status").on(t.deadlineId, t.status),
  index("notifications_office_sent").on(t.officeId, t.kind, t.status, t.sentAtMs),
]);

export const outbox = sqliteTable("outbox", {
  notificationId: text("notification_id").primaryKey(),
  recipients: json<string[]>("recipients").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const apiCredentials = sqliteTable("api_credentials", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  role: text("role").$type<"admin" | "staff" | "ministry" | "region" | "dpo">().notNull(),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
  /** A region officer's region. */
  region: text("region"),
  /** The purpose its reads serve, declared when issued: the audit log's reason unless a request states one. */
  purpose: text("purpose"),
});

export const credentialOffices = sqliteTable(
  "credential_offices",
  { credentialId: text("credential_id").notNull(), officeId: text("office_id").notNull() },
  (t) => [primaryKey({ columns: [t.credentialId, t.officeId] })],
);

export const webhookSenders = sqliteTable("webhook_senders", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const senderOffices = sqliteTable(
  "sender_offices",
  { senderId: text("sender_id").notNull(), officeId: text("office_id").notNull() },
  (t) => [primaryKey({ columns: [t.senderId, t.officeId] })],
);

/** Event types a sender may record although it does not act for the responsible office. */
export const senderEventTypes = sqliteTable(
  "sender_event_types",
  { senderId: text("sender_id").notNull(), eventType: text("event_type").notNull() },
  (t) => [primaryKey({ columns: [t.senderId, t.eventType] })],
);

export const webhookSecrets = sqliteTable("webhook_secrets", {
  id: text("id").primaryKey(),
  senderId: text("sender_id").notNull(),
  secret: text("secret").notNull(),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at"),
}, (t) => [
  index("webhook_secrets_sender").on(t.senderId),
]);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    senderId: text("sender_id").notNull(),
    webhookId: text("webhook_id").notNull(),
    status: integer("status").notNull(),
    body: text("body").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.senderId, t.webhookId] }), index("webhook_deliveries_received").on(t.receivedAt)],
);

export const auditLog = sqliteTable("audit_log", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  at: integer("at").notNull(),
  actor: text("actor").notNull(),
  action: text("action").notNull(),
  caseId: text("case_id"),
  detail: json<Record<string, unknown>>("detail").notNull(),
  requestId: text("request_id"),
  /** Why the data was consulted or disclosed (art. 21 co. 2 D.Lgs. 51/2018); null for other acts. */
  reason: text("reason"),
}, (t) => [
  index("audit_log_case").on(t.caseId, t.at),
  index("audit_log_at").on(t.at),
]);

/** Rows of the audit log older than `before` may be purged (retention); it only moves forward. */
export const auditHorizon = sqliteTable("audit_horizon", { id: integer("id").primaryKey(), before: integer("before").notNull() });

export const statCounters = sqliteTable(
  "stat_counters",
  { month: text("month").notNull(), officeId: text("office_id").notNull(), metric: text("metric").notNull(), value: integer("value").notNull() },
  (t) => [primaryKey({ columns: [t.month, t.officeId, t.metric] })],
);

export const reports = sqliteTable("reports", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  period: text("period").notNull(),
  scope: text("scope").notNull(),
  version: integer("version").notNull(),
  snapshotAt: integer("snapshot_at").notNull(),
  checksum: text("checksum").notNull(),
  document: text("document").notNull(),
  generatedBy: text("generated_by").notNull(),
  submittedAt: integer("submitted_at"),
  submittedBy: text("submitted_by"),
  /** The last withdrawal of a mistaken transmission (submitted_* are then cleared). */
  withdrawnAt: integer("withdrawn_at"),
  withdrawnBy: text("withdrawn_by"),
}, (t) => [
  unique().on(t.kind, t.period, t.scope, t.version),
]);

export const mailOutbox = sqliteTable("mail_outbox", {
  id: text("id").primaryKey(),
  recipients: json<string[]>("recipients").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html").notNull(),
  createdAt: integer("created_at").notNull(),
}, (t) => [
  index("mail_outbox_created").on(t.createdAt),
]);

export const scheduleFailures = sqliteTable("schedule_failures", {
  ref: text("ref").primaryKey(),
  timeline: text("timeline").notNull(),
  officeId: text("office_id").notNull(),
  dueDate: text("due_date").notNull(),
  code: text("code").notNull(),
  firstAt: integer("first_at").notNull(),
  lastAt: integer("last_at").notNull(),
  attempts: integer("attempts").notNull(),
});

/** A new random stamp on every change to the directory or the senders: isolates' copies compare it. */
export const directoryStamp = sqliteTable("directory_stamp", {
  id: integer("id").primaryKey(),
  stamp: text("stamp").notNull(),
});

/** A timeline whose workflow could not be started or woken: the sweep starts it again. */
export const workflowFailures = sqliteTable("workflow_failures", {
  instanceId: text("instance_id").primaryKey(),
  action: text("action").notNull(),
  error: text("error").notNull(),
  firstAt: integer("first_at").notNull(),
  lastAt: integer("last_at").notNull(),
  attempts: integer("attempts").notNull(),
}, (t) => [
  index("workflow_failures_first").on(t.firstAt),
]);
/**
 * A case whose reference could not take its canonical spelling (migration 0017), or whose reference
 * its office already uses in the district it would move to: another case has it. Listed for administrators.
 */
export const caseRefReview = sqliteTable("case_ref_review", {
  caseId: text("case_id").primaryKey(),
  ref: text("ref").notNull(),
  canonical: text("canonical").notNull(),
  otherCaseId: text("other_case_id").notNull(),
  foundAt: integer("found_at").notNull(),
  /** When an administrator withdrew it as a duplicate (it stays listed no more, and never moves). */
  resolvedAt: integer("resolved_at"),
});
export * from "./auth-schema.js";
export * from "./outbound-schema.js";
