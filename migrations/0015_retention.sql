-- Retention (D.Lgs. 51/2018 art. 3, GDPR art. 5(1)(e)): a case's proceeding
-- data is deleted a configurable period after its last activity, once none
-- of its timelines runs. What the reports need is already in stat_counters,
-- which stay; the audit log keeps that the purge happened.

-- The case's last activity: its creation, then every event recorded on it
-- (timelines start, advance and close only on events). The daily purge walks
-- this index from the oldest.
ALTER TABLE cases ADD COLUMN last_activity_at INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET last_activity_at = max(
  created_at,
  coalesce((SELECT max(received_at) FROM events WHERE events.case_id = cases.id), 0),
  coalesce((SELECT max(closed_at) FROM timeline_instances i WHERE i.case_id = cases.id), 0)
);
CREATE INDEX cases_last_activity ON cases(last_activity_at);

-- Events stay append-only: a delete is refused unless the audit log already
-- records the purge of that case (written first, in the same batch).
DROP TRIGGER events_no_delete;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE case_id = OLD.case_id AND action = 'case.purged')
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Deleting an event checks the rows that refer to it (foreign keys): by index,
-- not by a scan of every deadline. A correction finds them the same way.
CREATE INDEX deadlines_started_by ON deadlines(started_by_event);
CREATE INDEX deadlines_closed_by ON deadlines(closed_by_event);
CREATE INDEX timeline_instances_started_by ON timeline_instances(started_by_event);

-- A deadline's messages by their status (a closing cancels its scheduled
-- rungs): without it the planner took notifications_due (status, send_at_ms)
-- and read every scheduled message of every case, per event.
CREATE INDEX notifications_deadline_status ON notifications(deadline_id, status);

-- The purge finds a case's outbound deliveries through their events.
CREATE INDEX outbound_deliveries_event ON outbound_deliveries(event_id);

-- Inbound receipts (a sender's request and Termini's answer, kept to answer a
-- repeated webhook-id) are purged by age: a repeat can only come within the
-- signature's five-minute tolerance.
CREATE INDEX webhook_deliveries_received ON webhook_deliveries(received_at);
CREATE INDEX mail_outbox_created ON mail_outbox(created_at);
