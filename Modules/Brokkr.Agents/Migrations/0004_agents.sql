CREATE TABLE agents (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    name VARCHAR(255) NOT NULL,
    cluster_name VARCHAR(255) NOT NULL,
    last_heartbeat TIMESTAMPTZ,
    status VARCHAR(50) NOT NULL DEFAULT 'INACTIVE',
    pak_hash TEXT NOT NULL DEFAULT '',
    k8s_reachable BOOLEAN,
    k8s_api_latency_ms INTEGER,
    k8s_reported_at TIMESTAMPTZ
);
CREATE TRIGGER agents_updated BEFORE UPDATE ON agents FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE UNIQUE INDEX unique_agent_cluster ON agents (name, cluster_name) WHERE deleted_at IS NULL;
CREATE INDEX agents_pak_hash ON agents (pak_hash) WHERE deleted_at IS NULL;

CREATE TABLE agent_labels (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    label VARCHAR(64) NOT NULL,
    CONSTRAINT unique_agent_label UNIQUE (agent_id, label)
);
CREATE INDEX agent_labels_label ON agent_labels (label);

CREATE TABLE agent_annotations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    key VARCHAR(64) NOT NULL,
    value VARCHAR(64) NOT NULL,
    CONSTRAINT unique_agent_annotation_key UNIQUE (agent_id, key)
);
CREATE INDEX agent_annotations_key_value ON agent_annotations (key, value);
