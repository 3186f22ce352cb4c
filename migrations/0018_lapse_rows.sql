-- Issue 25: a stage whose expiry makes the measure lapse records the lapse through a `lapse` action row,
-- planned just after its due instant when the stage opens. Stages opened before this migration have none:
-- plan one for each that is still open and not yet due, so that the workflow or the sweep records its lapse
-- too. Stages already past their term are left as they are (their late acts are refused all the same):
-- recording their lapses now would rewrite past months' counts and send old events. The list is the
-- catalogue's stages with a lapse read on the official text (test/db/lapse-rows.test.ts keeps it so).
INSERT OR IGNORE INTO notifications (id, deadline_id, instance_id, rung, kind, office_id, recipients, send_at_ms, status)
SELECT d.id || '.lapse', d.id, d.instance_id, 'lapse', 'lapse', d.office_id, '[]', d.due_at_ms + 1, 'scheduled'
FROM deadlines d JOIN timeline_instances i ON i.id = d.instance_id
WHERE d.status = 'open' AND i.status = 'running' AND d.due_at_ms >= CAST(strftime('%s', 'now') AS INTEGER) * 1000 AND (i.timeline || '/' || i.version || '/' || d.stage) IN (
  '384-bis/1/validation-request',
  '384-bis/2/validation-request',
  '384-bis-police/1/record-to-pm',
  '384-bis-police/1/validation-request',
  '384-bis-police/1/validation-hearing',
  '384-bis-police/2/record-to-pm',
  '384-bis-police/2/validation-request',
  '384-bis-police/2/validation-decision',
  '382-bis/1/record-to-pm',
  '382-bis/1/validation-request',
  '382-bis/1/validation-decision',
  'turin-protocol/1/renewal',
  'turin-protocol/2/renewal'
);
