-- Every query on a request path walks an index rather than reading and
-- sorting a table that grows with cases (test/db/query-plans.test.ts).

-- An office's cases, newest first: the case's creation time travels with each
-- office involved, so the listing walks (office, created) and stops at its page.
ALTER TABLE case_offices ADD COLUMN case_created_at INTEGER NOT NULL DEFAULT 0;
UPDATE case_offices SET case_created_at = (SELECT created_at FROM cases WHERE cases.id = case_offices.case_id);
DROP INDEX case_offices_office;
CREATE INDEX case_offices_office ON case_offices(office_id, case_created_at, case_id);

-- Every case, newest first (administrators): the tie on the same millisecond is broken by id.
DROP INDEX cases_created;
CREATE INDEX cases_created ON cases(created_at, id);

-- A case's timelines in the order they started.
DROP INDEX timeline_instances_case;
CREATE INDEX timeline_instances_case ON timeline_instances(case_id, started_at);

-- A stage's deadlines and an instance's messages in time order (the case page, the plan).
CREATE INDEX deadlines_instance_due ON deadlines(instance_id, due_at_ms);
CREATE INDEX notifications_instance_send ON notifications(instance_id, send_at_ms);

-- The oldest failed workflow starts first (the sweep).
CREATE INDEX workflow_failures_first ON workflow_failures(first_at);
