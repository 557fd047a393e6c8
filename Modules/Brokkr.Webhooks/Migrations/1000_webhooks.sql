-- Subscriptions. url, auth_header and signing_secret are AES-256-GCM ciphertext in the reference's
-- format (0x01 || nonce(12) || ciphertext || tag(16)), so stored rows read the same in both brokers.
-- filters is JSONB rather than the reference's JSON text, so the outbox's INSERT ... SELECT can
-- evaluate it without a cast that could fail.
CREATE TABLE webhook_subscriptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    url_encrypted BYTEA NOT NULL,
    auth_header_encrypted BYTEA,
    signing_secret_encrypted BYTEA,
    event_types TEXT[] NOT NULL,
    filters JSONB,
    target_labels TEXT[],
    enabled BOOLEAN NOT NULL DEFAULT true,
    max_retries INTEGER NOT NULL DEFAULT 5,
    timeout_seconds INTEGER NOT NULL DEFAULT 30,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by VARCHAR(255)
);
CREATE TRIGGER webhook_subscriptions_updated BEFORE UPDATE ON webhook_subscriptions FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE INDEX webhook_subscriptions_created ON webhook_subscriptions (created_at DESC);

-- The outbox: one row per (event, matching subscription), written in the transaction of the change.
CREATE TABLE webhook_deliveries (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id UUID NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_type VARCHAR(100) NOT NULL,
    event_id UUID NOT NULL,
    payload TEXT NOT NULL,
    target_labels TEXT[],
    status VARCHAR(20) NOT NULL DEFAULT 'pending',
    acquired_by UUID REFERENCES agents (id) ON DELETE SET NULL,
    acquired_until TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at TIMESTAMPTZ,
    next_retry_at TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at TIMESTAMPTZ,
    CONSTRAINT valid_webhook_delivery_status CHECK (status IN ('pending', 'acquired', 'success', 'failed', 'dead'))
);
-- GET /webhooks/{id}/deliveries, newest first.
CREATE INDEX webhook_deliveries_subscription_created ON webhook_deliveries (subscription_id, created_at DESC);
-- The claim queues (broker and agents), oldest first.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (created_at) WHERE status = 'pending';
-- The delivery job: acquisitions past their TTL, failed rows due for a retry.
CREATE INDEX webhook_deliveries_acquired_until ON webhook_deliveries (acquired_until) WHERE status = 'acquired';
CREATE INDEX webhook_deliveries_retry_due ON webhook_deliveries (next_retry_at) WHERE status = 'failed';
-- The cleanup job.
CREATE INDEX webhook_deliveries_finished_created ON webhook_deliveries (created_at) WHERE status IN ('success', 'dead');
CREATE INDEX webhook_deliveries_acquired_by ON webhook_deliveries (acquired_by) WHERE acquired_by IS NOT NULL;

-- The encryption key generated when broker.webhook_encryption_key is not configured: one row,
-- inserted with ON CONFLICT DO NOTHING and read back, so replicas starting together agree on it.
CREATE TABLE webhook_encryption_key (
    id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    key BYTEA NOT NULL CHECK (length(key) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What the agent-side claim reads of the Agents module: live agents and their labels.
CREATE VIEW webhook_live_agents AS
SELECT a.id FROM agents a WHERE a.deleted_at IS NULL;

CREATE VIEW webhook_agent_labels AS
SELECT l.agent_id, l.label
FROM agent_labels l
JOIN agents a ON a.id = l.agent_id AND a.deleted_at IS NULL;
