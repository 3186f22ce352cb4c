-- One register number, one case. References now come in canonical
-- (src/lib/reference.ts): a register number without leading zeros, one
-- slash, a four-digit year; and the system's obligations get a readable
-- reference (obligationRef in src/timelines/reporting.ts: DATI-362BIS-T4-2026)
-- instead of <timeline>/<office>/<period>. Existing rows follow, each renamed
-- unless its new reference is already its office's, or an older row of the
-- same office takes it: those stay as they are and are listed here for an
-- administrator, never merged. The move to the district layout lists here a
-- case whose reference its office already uses in the district, and leaves
-- listed cases where they are.
CREATE TABLE case_ref_review (
  case_id TEXT PRIMARY KEY,
  ref TEXT NOT NULL,                  -- as stored (it stays so)
  canonical TEXT NOT NULL,            -- the reference it should have
  other_case_id TEXT NOT NULL,        -- the case of the same office that holds (or takes) it
  found_at INTEGER NOT NULL,
  resolved_at INTEGER                 -- when an administrator withdrew it as a duplicate
);

CREATE TABLE case_ref_renames (case_id TEXT PRIMARY KEY, owner_office_id TEXT NOT NULL, created_at INTEGER NOT NULL, canonical TEXT NOT NULL);

-- Register numbers written with leading zeros (0977966/2026 is 977966/2026).
INSERT INTO case_ref_renames
SELECT id, owner_office_id, created_at, ltrim(substr(ref, 1, instr(ref, '/') - 1), '0') || '/' || substr(ref, instr(ref, '/') + 1)
FROM cases
WHERE ref GLOB '0*/*'
  AND substr(ref, 1, instr(ref, '/') - 1) NOT GLOB '*[^0-9]*'
  AND ltrim(substr(ref, 1, instr(ref, '/') - 1), '0') <> ''
  AND (substr(ref, instr(ref, '/') + 1) GLOB '19[0-9][0-9]' OR substr(ref, instr(ref, '/') + 1) GLOB '20[0-9][0-9]');

-- The system's obligations, keyed by their period's day: its calendar quarter or half, or the year
-- (of the report, the one before its due date, for the annual reports to a Region and to Parliament).
INSERT INTO case_ref_renames
SELECT id, owner_office_id, created_at, CASE substr(ref, 1, instr(ref, '/') - 1)
  WHEN 'compliance-quarterly' THEN 'DATI-362BIS-T' || ((CAST(substr(ref, -5, 2) AS INTEGER) + 2) / 3) || '-' || substr(ref, -10, 4)
  WHEN 'compliance-half-yearly' THEN 'RELAZIONE-362BIS-S' || (CASE WHEN CAST(substr(ref, -5, 2) AS INTEGER) <= 6 THEN 1 ELSE 2 END) || '-' || substr(ref, -10, 4)
  WHEN 'regional-report' THEN 'RELAZIONE-REGIONALE-' || (CAST(substr(ref, -10, 4) AS INTEGER) - 1)
  WHEN 'parliament-report' THEN 'RELAZIONE-PARLAMENTO-' || (CAST(substr(ref, -10, 4) AS INTEGER) - 1)
  WHEN 'associations-report' THEN 'MONITORAGGIO-ASSOCIAZIONI-' || substr(ref, -10, 4)
  WHEN 'national-register' THEN 'REGISTRO-OPERATORI-' || substr(ref, -10, 4)
END
FROM cases
WHERE ref GLOB '*/*/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
  AND substr(ref, 1, instr(ref, '/') - 1) IN ('compliance-quarterly', 'compliance-half-yearly', 'regional-report', 'parliament-report', 'associations-report', 'national-register');

-- Collisions: the new reference is another case's of the same office, or an older row of it takes it.
INSERT INTO case_ref_review (case_id, ref, canonical, other_case_id, found_at)
SELECT r.case_id, c.ref, r.canonical,
  COALESCE(
    (SELECT x.id FROM cases x WHERE x.owner_office_id = r.owner_office_id AND x.ref = r.canonical),
    (SELECT y.case_id FROM case_ref_renames y WHERE y.owner_office_id = r.owner_office_id AND y.canonical = r.canonical ORDER BY y.created_at, y.case_id LIMIT 1)),
  CAST(strftime('%s', 'now') AS INTEGER) * 1000
FROM case_ref_renames r JOIN cases c ON c.id = r.case_id
WHERE EXISTS (SELECT 1 FROM cases x WHERE x.owner_office_id = r.owner_office_id AND x.ref = r.canonical)
   OR EXISTS (SELECT 1 FROM case_ref_renames y WHERE y.owner_office_id = r.owner_office_id AND y.canonical = r.canonical
              AND (y.created_at < r.created_at OR (y.created_at = r.created_at AND y.case_id < r.case_id)));

UPDATE cases SET ref = (SELECT canonical FROM case_ref_renames r WHERE r.case_id = cases.id)
WHERE id IN (SELECT case_id FROM case_ref_renames) AND id NOT IN (SELECT case_id FROM case_ref_review);

DROP TABLE case_ref_renames;
