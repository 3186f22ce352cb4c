-- Moving to the district layout copies each case into its district's
-- database, then deletes it here. Events stay append-only: a delete is
-- refused unless the audit log already records the case's purge or its move
-- (written first, in the same batch).
DROP TRIGGER events_no_delete;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM audit_log WHERE case_id = OLD.case_id AND action IN ('case.purged', 'case.moved'))
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
