-- A failed delivery stays due: it is retried with backoff over hours instead
-- of being marked failed after a few seconds.
--   retry_at_ms         the next attempt after a failure (NULL: the first, at send_at_ms)
--   first_failed_at_ms  when it first failed: the retry window and the alert count from it
--   claim               the token of the sender holding the row while it is 'sending'; the
--                       success write is conditional on it, so a sender whose claim was
--                       taken over never marks, audits or counts a message a second time
ALTER TABLE notifications ADD COLUMN retry_at_ms INTEGER;
ALTER TABLE notifications ADD COLUMN first_failed_at_ms INTEGER;
ALTER TABLE notifications ADD COLUMN claim TEXT;

-- Scheduled obligations (compliance and annual reports) that could not be opened: shown to
-- administrators, retried on every cron run, removed when the obligation opens.
CREATE TABLE schedule_failures (
  ref TEXT PRIMARY KEY,               -- the obligation: <timeline>/<office>/<due date>
  timeline TEXT NOT NULL,
  office_id TEXT NOT NULL,
  due_date TEXT NOT NULL,
  code TEXT NOT NULL,                 -- the refusal's stable code, or internal_error
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL
);
