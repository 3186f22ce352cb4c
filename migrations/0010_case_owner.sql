-- Case references are unique per office, not nationally: each Procura numbers
-- its own register (RGNR), so Milan and Turin may both have 1234/2026. A case
-- now belongs to the office whose reference it is (owner_office_id), and the
-- reference is unique for that office only.
--
-- SQLite cannot drop the old UNIQUE(ref), so the table is rebuilt in place:
-- copied aside, dropped, created again under its own name and filled back. With
-- foreign keys deferred, the rows that refer to cases (events, case_offices,
-- timeline_instances) point at the same ids again before the transaction
-- ends; a row left without its case would fail the migration at commit.
PRAGMA defer_foreign_keys = on;

CREATE TABLE cases_copy AS SELECT id, ref, created_at, created_by FROM cases;
DROP TABLE cases;
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  ref TEXT NOT NULL,                  -- pseudonymous, in the owner office's format (e.g. an RGNR number); never a name
  owner_office_id TEXT NOT NULL REFERENCES offices(id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
-- The owner of an existing case: its Procura, else the first office involved.
INSERT INTO cases (id, ref, owner_office_id, created_at, created_by)
SELECT c.id, c.ref,
  COALESCE(
    (SELECT office_id FROM case_offices WHERE case_id = c.id AND role = 'procura'),
    (SELECT MIN(office_id) FROM case_offices WHERE case_id = c.id),
    (SELECT MIN(id) FROM offices)),
  c.created_at, c.created_by
FROM cases_copy c;
DROP TABLE cases_copy;
CREATE UNIQUE INDEX cases_owner_ref ON cases(owner_office_id, ref);
CREATE INDEX cases_ref ON cases(ref);
CREATE INDEX cases_created ON cases(created_at);

-- The format of an office's case references, as a regular expression; NULL: the RGNR
-- form (digits, a slash and the year). A name typed into the reference never gets in.
ALTER TABLE offices ADD COLUMN ref_pattern TEXT;

-- Event types a webhook sender may record although it does not act for the office
-- responsible (e.g. the Questura's system recording an urgent removal for the Procura).
CREATE TABLE sender_event_types (
  sender_id TEXT NOT NULL REFERENCES webhook_senders(id),
  event_type TEXT NOT NULL,
  PRIMARY KEY (sender_id, event_type)
);
