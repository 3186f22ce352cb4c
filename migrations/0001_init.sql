-- Termini's storage. D1 is the source of truth: workflows plan from these rows.
-- Times are epoch milliseconds (INTEGER) next to their RFC 3339 text where users read them.

CREATE TABLE offices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                 -- procura, procura-head, gip, gip-head, pg-appello, questura, prefettura, cuav, ...
  name TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,         -- the Corte d'appello district, e.g. TO
  calendar TEXT NOT NULL DEFAULT 'IT',
  emails TEXT NOT NULL,               -- JSON array of addresses
  fallback_email TEXT NOT NULL,
  escalates_to TEXT REFERENCES offices(id)
);
CREATE INDEX offices_kind ON offices(kind, jurisdiction);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  ref TEXT NOT NULL UNIQUE,           -- pseudonymous, e.g. an RGNR number; never a name
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE case_offices (
  case_id TEXT NOT NULL REFERENCES cases(id),
  office_id TEXT NOT NULL REFERENCES offices(id),
  role TEXT NOT NULL,
  PRIMARY KEY (case_id, office_id)
);
CREATE INDEX case_offices_office ON case_offices(office_id);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  case_id TEXT NOT NULL REFERENCES cases(id),
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  occurred_at_ms INTEGER NOT NULL,
  data TEXT NOT NULL,                 -- JSON; identifiers only, never names
  source TEXT NOT NULL,               -- sender:<id> or credential:<id>
  received_at INTEGER NOT NULL
);
CREATE INDEX events_case ON events(case_id, occurred_at_ms);

CREATE TABLE timeline_instances (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  timeline TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,               -- running, closed
  started_by_event TEXT NOT NULL REFERENCES events(id),
  started_at INTEGER NOT NULL,
  closed_at INTEGER,
  workflow_id TEXT NOT NULL
);
CREATE INDEX timeline_instances_case ON timeline_instances(case_id);
-- At most one running instance of a timeline per case.
CREATE UNIQUE INDEX timeline_instances_running ON timeline_instances(case_id, timeline) WHERE status = 'running';

CREATE TABLE deadlines (
  id TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL REFERENCES timeline_instances(id),
  stage TEXT NOT NULL,
  office_id TEXT NOT NULL REFERENCES offices(id),
  started_by_event TEXT NOT NULL REFERENCES events(id),
  due_at TEXT NOT NULL,
  due_at_ms INTEGER NOT NULL,
  due_date TEXT,
  status TEXT NOT NULL,               -- open, met, late
  outcome TEXT,                       -- the closing event's meaning, e.g. measures-requested
  explanation TEXT NOT NULL,          -- JSON: the engine's term (steps, flags, plainDate ...)
  closed_at_ms INTEGER,
  closed_by_event TEXT REFERENCES events(id),
  UNIQUE (instance_id, stage)
);
CREATE INDEX deadlines_office ON deadlines(office_id, status, due_at_ms);

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  deadline_id TEXT NOT NULL REFERENCES deadlines(id),
  instance_id TEXT NOT NULL REFERENCES timeline_instances(id),
  rung TEXT NOT NULL,                 -- reminder-7d, reminder-2d, reminder-due-day, escalation-1, escalation-2, <rung>/fallback
  kind TEXT NOT NULL,                 -- reminder, escalation, fallback
  office_id TEXT NOT NULL REFERENCES offices(id),
  recipients TEXT NOT NULL,           -- JSON array, resolved from the directory when planned
  send_at_ms INTEGER NOT NULL,
  status TEXT NOT NULL,               -- scheduled, sending, sent, failed, cancelled, superseded
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_at_ms INTEGER,
  sent_at_ms INTEGER,
  provider_id TEXT,
  last_error TEXT,
  UNIQUE (deadline_id, rung)
);
CREATE INDEX notifications_due ON notifications(status, send_at_ms);
CREATE INDEX notifications_instance ON notifications(instance_id, status);

-- What the local Mailer "sent": the outbox replaces an email provider in development.
CREATE TABLE outbox (
  notification_id TEXT PRIMARY KEY REFERENCES notifications(id),
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE api_credentials (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,    -- SHA-256 hex of the bearer token; the token is never stored
  role TEXT NOT NULL,                 -- admin, staff
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE credential_offices (
  credential_id TEXT NOT NULL REFERENCES api_credentials(id),
  office_id TEXT NOT NULL REFERENCES offices(id),
  PRIMARY KEY (credential_id, office_id)
);

CREATE TABLE webhook_senders (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE sender_offices (
  sender_id TEXT NOT NULL REFERENCES webhook_senders(id),
  office_id TEXT NOT NULL REFERENCES offices(id),
  PRIMARY KEY (sender_id, office_id)
);

-- More than one secret may be active while a sender rotates.
CREATE TABLE webhook_secrets (
  id TEXT PRIMARY KEY,
  sender_id TEXT NOT NULL REFERENCES webhook_senders(id),
  secret TEXT NOT NULL,               -- whsec_<base64>; needed in clear to verify HMACs
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX webhook_secrets_sender ON webhook_secrets(sender_id);

-- The first response to each webhook-id, returned again on a repeat.
CREATE TABLE webhook_deliveries (
  sender_id TEXT NOT NULL REFERENCES webhook_senders(id),
  webhook_id TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (sender_id, webhook_id)
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,                -- credential:<id>, sender:<id>, system:workflow, system:cron
  action TEXT NOT NULL,
  case_id TEXT,
  detail TEXT NOT NULL,               -- JSON; identifiers and dates only
  request_id TEXT
);
CREATE INDEX audit_log_case ON audit_log(case_id, at);

-- Append-only: an update or a delete fails instead of rewriting history silently.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
