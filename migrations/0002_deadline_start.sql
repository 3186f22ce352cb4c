-- When each deadline's term started: its starting event's occurredAt, or a
-- correction's. Kept on the row so corrections can move it.
ALTER TABLE deadlines ADD COLUMN started_at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE deadlines SET started_at_ms = (SELECT occurred_at_ms FROM events WHERE events.id = deadlines.started_by_event);
