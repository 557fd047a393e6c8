CREATE TABLE stacks (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    generator_id UUID NOT NULL REFERENCES generators (id)
);
CREATE TRIGGER stacks_updated BEFORE UPDATE ON stacks FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE UNIQUE INDEX unique_stack_name ON stacks (name) WHERE deleted_at IS NULL;
CREATE INDEX stacks_generator ON stacks (generator_id) WHERE deleted_at IS NULL;

CREATE TABLE stack_labels (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    stack_id UUID NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    label VARCHAR(64) NOT NULL,
    CONSTRAINT unique_stack_label UNIQUE (stack_id, label)
);
CREATE INDEX stack_labels_label ON stack_labels (label);

CREATE TABLE stack_annotations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    stack_id UUID NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    key VARCHAR(64) NOT NULL,
    value VARCHAR(64) NOT NULL,
    CONSTRAINT unique_stack_annotation_key UNIQUE (stack_id, key)
);
CREATE INDEX stack_annotations_key_value ON stack_annotations (key, value);

CREATE TABLE deployment_objects (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    sequence_id BIGSERIAL NOT NULL UNIQUE,
    stack_id UUID NOT NULL REFERENCES stacks (id),
    yaml_content TEXT NOT NULL,
    yaml_checksum TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    is_deletion_marker BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX deployment_objects_latest ON deployment_objects (stack_id, sequence_id DESC) WHERE deleted_at IS NULL;

-- Revisions are immutable: only a soft delete, a marker-to-marker update, or a hard delete.
CREATE OR REPLACE FUNCTION deployment_objects_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL
       AND NEW.yaml_content = OLD.yaml_content AND NEW.stack_id = OLD.stack_id AND NEW.sequence_id = OLD.sequence_id THEN
        RETURN NEW;
    END IF;
    IF OLD.is_deletion_marker AND NEW.is_deletion_marker THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'deployment objects are immutable' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER deployment_objects_immutable BEFORE UPDATE ON deployment_objects FOR EACH ROW EXECUTE FUNCTION deployment_objects_immutable();

-- The agents a deleted stack was associated with, so that each still receives its deletion marker.
CREATE TABLE stack_deletion_deliveries (
    stack_id UUID NOT NULL REFERENCES stacks (id) ON DELETE CASCADE,
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    marker_id UUID NOT NULL REFERENCES deployment_objects (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (agent_id, stack_id)
);
CREATE INDEX stack_deletion_deliveries_created ON stack_deletion_deliveries (created_at);
