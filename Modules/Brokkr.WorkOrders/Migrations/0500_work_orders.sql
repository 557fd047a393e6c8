CREATE TABLE work_orders (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    work_type VARCHAR(50) NOT NULL,
    yaml_content TEXT NOT NULL,
    status VARCHAR(20) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CLAIMED', 'RETRY_PENDING')),
    claimed_by UUID REFERENCES agents (id) ON DELETE SET NULL,
    claimed_at TIMESTAMPTZ,
    claim_timeout_seconds INTEGER NOT NULL DEFAULT 3600 CHECK (claim_timeout_seconds > 0),
    max_retries INTEGER NOT NULL DEFAULT 3 CHECK (max_retries >= 0),
    retry_count INTEGER NOT NULL DEFAULT 0,
    backoff_seconds INTEGER NOT NULL DEFAULT 60 CHECK (backoff_seconds > 0),
    next_retry_after TIMESTAMPTZ,
    last_error TEXT,
    last_error_at TIMESTAMPTZ,
    CONSTRAINT work_orders_retry_count_range CHECK (retry_count >= 0 AND retry_count <= max_retries),
    CONSTRAINT work_orders_claimed_has_claimant CHECK (status <> 'CLAIMED' OR (claimed_by IS NOT NULL AND claimed_at IS NOT NULL))
);
CREATE TRIGGER work_orders_updated BEFORE UPDATE ON work_orders FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE INDEX work_orders_pending ON work_orders (created_at) WHERE status = 'PENDING';
CREATE INDEX work_orders_retry_due ON work_orders (next_retry_after) WHERE status = 'RETRY_PENDING';
CREATE INDEX work_orders_claimed ON work_orders (claimed_by, claimed_at) WHERE status = 'CLAIMED';

CREATE TABLE work_order_targets (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    work_order_id UUID NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    CONSTRAINT unique_work_order_target UNIQUE (work_order_id, agent_id)
);
CREATE INDEX work_order_targets_agent ON work_order_targets (agent_id);

CREATE TABLE work_order_labels (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    work_order_id UUID NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    label VARCHAR(64) NOT NULL,
    CONSTRAINT unique_work_order_label UNIQUE (work_order_id, label)
);
CREATE INDEX work_order_labels_label ON work_order_labels (label, work_order_id);

CREATE TABLE work_order_annotations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    work_order_id UUID NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    key VARCHAR(64) NOT NULL,
    value VARCHAR(64) NOT NULL,
    CONSTRAINT unique_work_order_annotation UNIQUE (work_order_id, key, value)
);
CREATE INDEX work_order_annotations_key_value ON work_order_annotations (key, value, work_order_id);

CREATE TABLE work_order_log (
    id UUID PRIMARY KEY,
    work_type VARCHAR(50) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    claimed_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    claimed_by UUID REFERENCES agents (id) ON DELETE SET NULL,
    success BOOLEAN NOT NULL,
    retries_attempted INTEGER NOT NULL DEFAULT 0,
    result_message TEXT,
    yaml_content TEXT NOT NULL
);
CREATE INDEX work_order_log_completed ON work_order_log (completed_at DESC);
CREATE INDEX work_order_log_agent ON work_order_log (claimed_by, completed_at DESC);
