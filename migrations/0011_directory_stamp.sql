-- The office directory and the webhook senders change rarely and are read by
-- every event, so each Worker isolate keeps them in memory. This one-row
-- table says when the copy is stale: every change to those tables gives it a
-- new random stamp, and the event path reads the stamp in the same batch as
-- the case, so an administrator's change is seen by the next event. Random,
-- not a counter, so two databases never share a stamp.
CREATE TABLE directory_stamp (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  stamp TEXT NOT NULL
);
INSERT INTO directory_stamp (id, stamp) VALUES (1, lower(hex(randomblob(8))));

CREATE TRIGGER offices_stamp_insert AFTER INSERT ON offices BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER offices_stamp_update AFTER UPDATE ON offices BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER offices_stamp_delete AFTER DELETE ON offices BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER senders_stamp_insert AFTER INSERT ON webhook_senders BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER senders_stamp_update AFTER UPDATE ON webhook_senders BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER senders_stamp_delete AFTER DELETE ON webhook_senders BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER secrets_stamp_insert AFTER INSERT ON webhook_secrets BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER secrets_stamp_update AFTER UPDATE ON webhook_secrets BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER secrets_stamp_delete AFTER DELETE ON webhook_secrets BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER sender_offices_stamp_insert AFTER INSERT ON sender_offices BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER sender_offices_stamp_delete AFTER DELETE ON sender_offices BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER sender_events_stamp_insert AFTER INSERT ON sender_event_types BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER sender_events_stamp_delete AFTER DELETE ON sender_event_types BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;

-- A timeline whose workflow could not be started or woken (the engine refused
-- or was unreachable). The rows of the case are safe in D1; this says which
-- workflow is missing, for the administrators' page and for the cron sweep,
-- which starts it again and removes the row.
CREATE TABLE workflow_failures (
  instance_id TEXT PRIMARY KEY REFERENCES timeline_instances(id),
  action TEXT NOT NULL,               -- start | wake
  error TEXT NOT NULL,                -- the error's name, never its message (it may echo data)
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL
);
