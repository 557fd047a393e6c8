-- Short-lived buffers of what agents forward over the WebSocket: Kubernetes events and pod log
-- lines per stack. Rows live at most 6 hours, counted from created_at (the broker's ingestion
-- time), so an agent sending old timestamps cannot keep data alive.
CREATE TABLE agent_k8s_events (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    stack_id UUID NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    observed_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    event_type TEXT NOT NULL,
    source TEXT,
    involved_object JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX agent_k8s_events_stack_created ON agent_k8s_events (stack_id, created_at DESC);
CREATE INDEX agent_k8s_events_created ON agent_k8s_events (created_at);

CREATE TABLE agent_pod_logs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    stack_id UUID NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    namespace TEXT NOT NULL,
    pod TEXT NOT NULL,
    container TEXT NOT NULL,
    ts TIMESTAMPTZ NOT NULL,
    line TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX agent_pod_logs_stack_created ON agent_pod_logs (stack_id, created_at DESC);
CREATE INDEX agent_pod_logs_created ON agent_pod_logs (created_at);
