-- Recurring stages (reviews every 3 months, weekly attendance) have one
-- deadline per period: (instance, stage, seq) is unique instead of
-- (instance, stage). SQLite cannot drop a constraint, so the table is
-- rebuilt — with the two tables that refer to it, children first, so that
-- no foreign key is ever left pointing at a dropped table.
PRAGMA defer_foreign_keys = on;

CREATE TABLE deadlines_new (
  id TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL REFERENCES timeline_instances(id),
  stage TEXT NOT NULL,
  seq INTEGER NOT NULL DEFAULT 1,
  office_id TEXT NOT NULL REFERENCES offices(id),
  started_by_event TEXT NOT NULL REFERENCES events(id),
  started_at_ms INTEGER NOT NULL DEFAULT 0,
  due_at TEXT NOT NULL,
  due_at_ms INTEGER NOT NULL,
  due_date TEXT,
  status TEXT NOT NULL,
  outcome TEXT,
  explanation TEXT NOT NULL,
  closed_at_ms INTEGER,
  closed_by_event TEXT REFERENCES events(id),
  UNIQUE (instance_id, stage, seq)
);
CREATE TABLE notifications_new (
  id TEXT PRIMARY KEY,
  deadline_id TEXT NOT NULL REFERENCES deadlines_new(id),
  instance_id TEXT NOT NULL REFERENCES timeline_instances(id),
  rung TEXT NOT NULL,
  kind TEXT NOT NULL,
  office_id TEXT NOT NULL REFERENCES offices(id),
  recipients TEXT NOT NULL,
  send_at_ms INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_at_ms INTEGER,
  sent_at_ms INTEGER,
  provider_id TEXT,
  last_error TEXT,
  detail TEXT,
  UNIQUE (deadline_id, rung)
);
CREATE TABLE outbox_new (
  notification_id TEXT PRIMARY KEY REFERENCES notifications_new(id),
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

INSERT INTO deadlines_new (id, instance_id, stage, seq, office_id, started_by_event, started_at_ms, due_at, due_at_ms,
  due_date, status, outcome, explanation, closed_at_ms, closed_by_event)
SELECT id, instance_id, stage, 1, office_id, started_by_event, started_at_ms, due_at, due_at_ms,
  due_date, status, outcome, explanation, closed_at_ms, closed_by_event FROM deadlines;
INSERT INTO notifications_new SELECT id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status,
  attempts, claimed_at_ms, sent_at_ms, provider_id, last_error, detail FROM notifications;
INSERT INTO outbox_new SELECT notification_id, recipients, subject, text, html, created_at FROM outbox;

DROP TABLE outbox;
DROP TABLE notifications;
DROP TABLE deadlines;
-- Renaming also rewrites the references to the renamed tables.
ALTER TABLE deadlines_new RENAME TO deadlines;
ALTER TABLE notifications_new RENAME TO notifications;
ALTER TABLE outbox_new RENAME TO outbox;

CREATE INDEX deadlines_office ON deadlines(office_id, status, due_at_ms);
CREATE INDEX notifications_due ON notifications(status, send_at_ms);
CREATE INDEX notifications_instance ON notifications(instance_id, status);
