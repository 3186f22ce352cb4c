-- Integrators run themselves: ordering, answers, pauses (issue 29).
-- Each outbound event carries a sequence that increases per subject (the case, or the report), so a
-- receiver can discard an event that arrives after a newer one about the same thing; written with the
-- event, in its batch, as one more than the subject's last.
ALTER TABLE outbound_events ADD COLUMN subject TEXT;
ALTER TABLE outbound_events ADD COLUMN seq INTEGER;
CREATE UNIQUE INDEX outbound_events_subject_seq ON outbound_events(subject, seq);
-- The start of the endpoint's answer (at most 1 KiB of text), for its subscriber to see why it refused.
ALTER TABLE outbound_attempts ADD COLUMN response TEXT;
ALTER TABLE outbound_deliveries ADD COLUMN last_response TEXT;
-- Why a subscription is off: 'paused' by its office or an administrator, 'failing' when Termini
-- disabled it after it failed for too long. Resumed only by hand.
ALTER TABLE subscriptions ADD COLUMN disabled_reason TEXT;
-- The retention purge walks events by age.
CREATE INDEX outbound_events_created ON outbound_events(created_at);
-- The event log's order and cursor: a number per database that only grows (a rowid can be used again
-- once the newest rows are purged, and a reader's cursor would then skip what follows), set by a
-- trigger as each delivery row is written, whoever writes it; the counter's row is never deleted.
ALTER TABLE outbound_deliveries ADD COLUMN log_seq INTEGER;
CREATE TABLE outbound_log_counter (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO outbound_log_counter (id, n) SELECT 1, COALESCE(MAX(rowid), 0) FROM outbound_deliveries;
UPDATE outbound_deliveries SET log_seq = rowid;
CREATE TRIGGER outbound_deliveries_log_seq AFTER INSERT ON outbound_deliveries BEGIN
  UPDATE outbound_log_counter SET n = n + 1 WHERE id = 1;
  UPDATE outbound_deliveries SET log_seq = (SELECT n FROM outbound_log_counter WHERE id = 1) WHERE rowid = NEW.rowid;
END;
CREATE INDEX outbound_deliveries_log ON outbound_deliveries(subscription_id, log_seq);
