-- Stack templates (behaviour §2, §5): every version is its own row; NULL generator_id is a system
-- template (admin-owned). template_targets of the reference is not created: nothing uses it.
CREATE TABLE stack_templates (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    generator_id UUID REFERENCES generators (id),
    name VARCHAR(255) NOT NULL,
    description TEXT,
    version INTEGER NOT NULL CHECK (version >= 1),
    template_content TEXT NOT NULL,
    parameters_schema TEXT NOT NULL,
    checksum VARCHAR(64) NOT NULL
);
CREATE TRIGGER stack_templates_updated BEFORE UPDATE ON stack_templates FOR EACH ROW EXECUTE FUNCTION update_timestamp();
-- One live row per (owner, name, version), system templates included; also serves max(version).
CREATE UNIQUE INDEX unique_template_version ON stack_templates (generator_id, name, version) NULLS NOT DISTINCT WHERE deleted_at IS NULL;
-- A generator's list (its own plus the system templates) and the cascade of a deleted generator.
CREATE INDEX stack_templates_generator ON stack_templates (generator_id, created_at) WHERE deleted_at IS NULL;

CREATE TABLE template_labels (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    template_id UUID NOT NULL REFERENCES stack_templates (id) ON DELETE CASCADE,
    label VARCHAR(64) NOT NULL,
    CONSTRAINT unique_template_label UNIQUE (template_id, label)
);

CREATE TABLE template_annotations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    template_id UUID NOT NULL REFERENCES stack_templates (id) ON DELETE CASCADE,
    key VARCHAR(64) NOT NULL,
    value VARCHAR(64) NOT NULL,
    CONSTRAINT unique_template_annotation_key UNIQUE (template_id, key)
);

-- Provenance of a deployment object instantiated from a template: the exact row, its version and
-- the parameters. Deleting the object removes it; a template row is only ever soft-deleted.
CREATE TABLE rendered_deployment_objects (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deployment_object_id UUID NOT NULL REFERENCES deployment_objects (id) ON DELETE CASCADE,
    template_id UUID NOT NULL REFERENCES stack_templates (id),
    template_version INTEGER NOT NULL,
    template_parameters TEXT NOT NULL,
    CONSTRAINT unique_rendered_deployment_object UNIQUE (deployment_object_id)
);
CREATE INDEX rendered_deployment_objects_template ON rendered_deployment_objects (template_id);
