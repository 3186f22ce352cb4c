-- Reports are built from counters kept as events arrive, never by scanning
-- events: one row per (month, office, metric).
ALTER TABLE offices ADD COLUMN region TEXT NOT NULL DEFAULT '';

CREATE TABLE stat_counters (
  month TEXT NOT NULL,                -- YYYY-MM, Europe/Rome
  office_id TEXT NOT NULL REFERENCES offices(id),
  metric TEXT NOT NULL,               -- e.g. 362-bis:pm-assessment:met, 362-bis:pm-assessment:d12, programme:started
  value INTEGER NOT NULL,
  PRIMARY KEY (month, office_id, metric)
);

-- Generated reports: every version stays downloadable.
CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  scope TEXT NOT NULL,                -- a region, IT for the country, or an office / district
  version INTEGER NOT NULL,
  snapshot_at INTEGER NOT NULL,       -- the data are those counted up to this instant
  checksum TEXT NOT NULL,             -- SHA-256 of the JSON document
  document TEXT NOT NULL,             -- the JSON document; CSV and PDF are rendered from it
  generated_by TEXT NOT NULL,
  submitted_at INTEGER,
  submitted_by TEXT,
  UNIQUE (kind, period, scope, version)
);

-- Officers who read reports: a ministry officer sees the country, a region officer one region.
ALTER TABLE api_credentials ADD COLUMN region TEXT;
