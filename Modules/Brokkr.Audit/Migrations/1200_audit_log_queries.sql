-- The names behind audit actors, read by GET /admin/audit-logs (actor_name) and owned by the Audit
-- module. Soft-deleted agents and generators keep their names: history stays readable after a
-- delete, and a rename shows in every past entry. A join on (actor_type, actor_id) reaches each
-- branch's primary key.
CREATE VIEW audit_actor_names AS
SELECT 'agent'::text AS actor_type, a.id AS actor_id, a.name::text AS name
FROM agents a
UNION ALL
SELECT 'generator'::text AS actor_type, g.id AS actor_id, g.name::text AS name
FROM generators g;

-- The page is ordered by (timestamp, id) descending, so that entries written in one instant keep
-- one order from page to page; this index serves that order and supersedes the one of 0002.
CREATE INDEX audit_logs_timestamp_id ON audit_logs ("timestamp" DESC, id DESC);
DROP INDEX audit_logs_timestamp;

-- action=<prefix>* is a LIKE 'prefix%': only a pattern_ops index serves it whatever the database's
-- collation; it serves the exact match too, so it supersedes the plain index of 0002.
CREATE INDEX audit_logs_action_pattern ON audit_logs (action varchar_pattern_ops);
DROP INDEX audit_logs_action;
