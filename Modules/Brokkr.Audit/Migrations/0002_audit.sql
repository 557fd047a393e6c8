CREATE TABLE audit_logs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "timestamp" TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_type VARCHAR(20) NOT NULL CHECK (actor_type IN ('admin', 'agent', 'generator', 'system')),
    actor_id UUID,
    action VARCHAR(100) NOT NULL,
    resource_type VARCHAR(50) NOT NULL,
    resource_id UUID,
    details JSONB,
    ip_address TEXT,
    user_agent TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_logs_timestamp ON audit_logs ("timestamp" DESC);
CREATE INDEX audit_logs_action ON audit_logs (action);
CREATE INDEX audit_logs_actor ON audit_logs (actor_type, actor_id);
CREATE INDEX audit_logs_resource ON audit_logs (resource_type, resource_id);
