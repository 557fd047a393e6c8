CREATE TABLE deployment_health (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    deployment_object_id UUID NOT NULL REFERENCES deployment_objects (id) ON DELETE CASCADE,
    status VARCHAR(20) NOT NULL,
    summary TEXT,
    checked_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT unique_agent_deployment_health UNIQUE (agent_id, deployment_object_id),
    CONSTRAINT valid_health_status CHECK (status IN ('healthy', 'degraded', 'failing', 'unknown'))
);
CREATE TRIGGER deployment_health_updated BEFORE UPDATE ON deployment_health FOR EACH ROW EXECUTE FUNCTION update_timestamp();
-- A deployment object's records (GET /deployment-objects/{id}/health, and per stack through the object).
CREATE INDEX deployment_health_object ON deployment_health (deployment_object_id);
-- The fleet record's failing and degraded counts per agent, without visiting its healthy rows.
CREATE INDEX deployment_health_agent_problems ON deployment_health (agent_id, status) WHERE status IN ('failing', 'degraded');
