-- Issue 26: a user has a name (the header shows it, not the address) and an invitation they accept
-- by email: `accepted_at` stays NULL ("invitato") until their first sign-in through the link.
-- Users created before invitations were active at once.
ALTER TABLE users ADD COLUMN name TEXT;
ALTER TABLE users ADD COLUMN accepted_at INTEGER;
UPDATE users SET accepted_at = created_at;
-- The outbox page opens each message exactly as it was sent: its subject, text and HTML, kept
-- with the row (no personal data: messages carry only the case reference and the deadline).
ALTER TABLE notifications ADD COLUMN sent_copy TEXT;
-- A head of office's page lists the escalations sent to its offices, newest first.
CREATE INDEX notifications_office_sent ON notifications (office_id, kind, status, sent_at_ms);
