-- A morning digest: when several reminders and escalations fall due for the
-- same office at once (08:00 Rome, the national morning), they go out as one
-- email ("Scadenze di oggi") instead of one each. The digest is a notification
-- row of its own (kind 'digest'), delivered, retried and alerted like any
-- other with its id as the provider's idempotency key; its members wait in
-- status 'digested', pointing at it, and become 'sent' with it.
ALTER TABLE notifications ADD COLUMN digest_id TEXT;
CREATE INDEX notifications_digest ON notifications(digest_id);
