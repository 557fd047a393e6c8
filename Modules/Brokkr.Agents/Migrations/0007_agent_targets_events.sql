CREATE TABLE agent_targets (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    stack_id UUID NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    CONSTRAINT unique_agent_target UNIQUE (agent_id, stack_id)
);
CREATE INDEX agent_targets_stack ON agent_targets (stack_id);

CREATE TABLE agent_events (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    deployment_object_id UUID NOT NULL REFERENCES deployment_objects (id),
    event_type VARCHAR(50) NOT NULL,
    status VARCHAR(10) NOT NULL,
    message TEXT
);
CREATE TRIGGER agent_events_updated BEFORE UPDATE ON agent_events FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE INDEX agent_events_agent_object ON agent_events (agent_id, deployment_object_id) WHERE deleted_at IS NULL;
CREATE INDEX agent_events_object ON agent_events (deployment_object_id);
CREATE INDEX agent_events_created ON agent_events (created_at);
