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
-- The retention purge walks events by age; the event log reads a subscription's rows in rowid order
-- (an index on the subscription alone carries the rowid, so no sort).
CREATE INDEX outbound_events_created ON outbound_events(created_at);
CREATE INDEX outbound_deliveries_log ON outbound_deliveries(subscription_id);
