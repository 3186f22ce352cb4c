-- A transmission made by mistake can be withdrawn, within a short window, by the officer who made it.
-- The last withdrawal is kept on the version (the audit log keeps every one); the version can be
-- transmitted again afterwards.
ALTER TABLE reports ADD COLUMN withdrawn_at INTEGER;
ALTER TABLE reports ADD COLUMN withdrawn_by TEXT;
