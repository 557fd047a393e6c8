CREATE TABLE diagnostic_requests (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    deployment_object_id UUID NOT NULL REFERENCES deployment_objects (id) ON DELETE CASCADE,
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    requested_by VARCHAR(255),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ NOT NULL,
    CONSTRAINT valid_diagnostic_request_status CHECK (status IN ('pending', 'claimed', 'completed', 'failed', 'expired'))
);
-- An agent's open requests, oldest first (GET /agents/{id}/diagnostics/pending, polled every 10 s).
CREATE INDEX diagnostic_requests_agent_pending ON diagnostic_requests (agent_id, created_at) WHERE status = 'pending';
-- The cleanup job: open requests past their expiry, then finished requests past the maximum age.
CREATE INDEX diagnostic_requests_open_expiry ON diagnostic_requests (expires_at) WHERE status IN ('pending', 'claimed');
CREATE INDEX diagnostic_requests_finished_created ON diagnostic_requests (created_at) WHERE status IN ('completed', 'failed', 'expired');
CREATE INDEX diagnostic_requests_deployment_object ON diagnostic_requests (deployment_object_id);

CREATE TABLE diagnostic_results (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id UUID NOT NULL REFERENCES diagnostic_requests (id) ON DELETE CASCADE,
    pod_statuses TEXT NOT NULL,
    events TEXT NOT NULL,
    log_tails TEXT,
    collected_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A request has at most one result: it is accepted only while the request is claimed, which it then completes.
CREATE UNIQUE INDEX diagnostic_results_request ON diagnostic_results (request_id);
