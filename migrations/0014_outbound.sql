-- Outbound webhooks: offices and centres subscribe an HTTPS endpoint to event
-- kinds and receive signed JSON events (Standard Webhooks). Each event is a
-- row written in the same batch as the change that causes it, with one
-- delivery row per subscription that wants it; the timeline's workflow or the
-- cron sweep delivers it (directly, or through QStash), so nothing is lost if
-- an endpoint or the publisher is down.
CREATE TABLE subscriptions (
  id TEXT PRIMARY KEY,
  office_id TEXT NOT NULL REFERENCES offices(id),
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  kinds TEXT NOT NULL,                -- JSON array of event kinds
  parallelism INTEGER NOT NULL,       -- deliveries in flight at once, at most
  rate_per_second INTEGER NOT NULL,   -- deliveries started per second, at most (QStash flow control)
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  disabled_at INTEGER,
  failing_since INTEGER,              -- the first failure of the current run of failures
  flagged_at INTEGER                  -- when the administrators were told it keeps failing
);
CREATE INDEX subscriptions_office ON subscriptions(office_id);

-- Several per subscription while one is rotated (the old one expires a day later).
CREATE TABLE subscription_secrets (
  id TEXT PRIMARY KEY,
  subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
  secret TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX subscription_secrets_subscription ON subscription_secrets(subscription_id);

-- One event, whoever receives it: its id is the webhook-id, stable per intended event.
CREATE TABLE outbound_events (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  case_id TEXT,                       -- null for a report
  body TEXT NOT NULL,                 -- the JSON body, exactly as sent
  created_at INTEGER NOT NULL
);
CREATE INDEX outbound_events_case ON outbound_events(case_id);

CREATE TABLE outbound_deliveries (
  id TEXT PRIMARY KEY,                -- <event id>.<subscription id>
  event_id TEXT NOT NULL REFERENCES outbound_events(id),
  subscription_id TEXT NOT NULL REFERENCES subscriptions(id),
  instance_id TEXT,                   -- the timeline whose workflow delivers it; null: the sweep
  status TEXT NOT NULL,               -- pending | sending | published | delivered | dead
  due_at INTEGER NOT NULL,            -- the next attempt
  attempts INTEGER NOT NULL DEFAULT 0,
  claim TEXT,
  claimed_at INTEGER,
  first_failed_at INTEGER,
  last_status INTEGER,                -- the endpoint's last HTTP status
  last_error TEXT,
  delivered_at INTEGER,
  message_id TEXT,                    -- QStash's message id, once published there
  dlq_id TEXT,                        -- QStash's dead-letter queue id, once it gave up
  created_at INTEGER NOT NULL
);
CREATE INDEX outbound_deliveries_due ON outbound_deliveries(status, due_at);
CREATE INDEX outbound_deliveries_instance ON outbound_deliveries(instance_id, status);
CREATE INDEX outbound_deliveries_subscription ON outbound_deliveries(subscription_id, created_at);
CREATE INDEX outbound_deliveries_message ON outbound_deliveries(message_id);
-- A subscription's deliveries in flight (the claim's parallelism check), and the queues per subscription (admin page).
CREATE INDEX outbound_deliveries_in_flight ON outbound_deliveries(status, subscription_id, claimed_at);

-- Every attempt, as the subscription's delivery log shows it.
CREATE TABLE outbound_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  via TEXT NOT NULL,                  -- direct | qstash | test
  status INTEGER,                     -- the endpoint's HTTP status; null: no answer
  duration_ms INTEGER,
  error TEXT
);
CREATE INDEX outbound_attempts_delivery ON outbound_attempts(delivery_id, at);

-- Requests from QStash already acted on, by their signature's JWT id: a
-- replayed request is refused while its signature would still be valid.
CREATE TABLE qstash_receipts (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX qstash_receipts_expiry ON qstash_receipts(expires_at);

-- Subscriptions and their secrets are read by every event, from the directory's copy in memory.
CREATE TRIGGER subscriptions_stamp_insert AFTER INSERT ON subscriptions BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER subscriptions_stamp_update AFTER UPDATE OF office_id, url, kinds, parallelism, rate_per_second, disabled_at ON subscriptions BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER subscriptions_stamp_delete AFTER DELETE ON subscriptions BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER subscription_secrets_stamp_insert AFTER INSERT ON subscription_secrets BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER subscription_secrets_stamp_update AFTER UPDATE ON subscription_secrets BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
CREATE TRIGGER subscription_secrets_stamp_delete AFTER DELETE ON subscription_secrets BEGIN UPDATE directory_stamp SET stamp = lower(hex(randomblob(8))); END;
