-- Notices (a date changed, a deadline withdrawn) carry what they announce.
ALTER TABLE notifications ADD COLUMN detail TEXT;
