-- An agent's events newest first (GET /agents/{id}/events, paged) and its latest event (fleet views)
-- without sorting all of its events.
CREATE INDEX agent_events_agent_created ON agent_events (agent_id, created_at DESC) WHERE deleted_at IS NULL;
