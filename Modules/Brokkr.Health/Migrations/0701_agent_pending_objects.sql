-- What each agent's incremental target state would offer now, one row per object, so that the
-- fleet can count it (pending_object_count) with the same rules as GET /agents/{id}/target-state
-- (behaviour §4, details §5; the statement in the Stacks module's TargetStateReader): the newest
-- live revision of each live associated stack that the agent has not acknowledged with an event,
-- plus each deletion marker it is owed and has not acknowledged.
-- owed_since is when a marker became owed (NULL for revisions). Target state stops offering a
-- marker after the agent-event retention, a window relative to "now", so the reader applies it:
-- owed_since IS NULL OR owed_since > now - retention.
-- A filter on agent_id reaches every branch, the association view's included, so one agent's
-- rows are index lookups.
CREATE VIEW agent_pending_objects AS
SELECT association.agent_id, latest.id AS deployment_object_id, latest.sequence_id, NULL::timestamptz AS owed_since
FROM stack_agent_associations association
JOIN stacks s ON s.id = association.stack_id AND s.deleted_at IS NULL
CROSS JOIN LATERAL (
    SELECT o.id, o.sequence_id
    FROM deployment_objects o
    WHERE o.stack_id = s.id AND o.deleted_at IS NULL
    ORDER BY o.sequence_id DESC
    LIMIT 1
) latest
WHERE NOT EXISTS (
    SELECT 1 FROM agent_events e
    WHERE e.agent_id = association.agent_id AND e.deployment_object_id = latest.id AND e.deleted_at IS NULL)
UNION ALL
SELECT delivery.agent_id, marker.id, marker.sequence_id, delivery.created_at
FROM stack_deletion_deliveries delivery
JOIN deployment_objects marker ON marker.id = delivery.marker_id AND marker.deleted_at IS NULL
WHERE NOT EXISTS (
    SELECT 1 FROM agent_events e
    WHERE e.agent_id = delivery.agent_id AND e.deployment_object_id = marker.id AND e.deleted_at IS NULL);
