CREATE TABLE generators (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at TIMESTAMPTZ,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    pak_hash TEXT,
    last_active_at TIMESTAMPTZ,
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_system BOOLEAN NOT NULL DEFAULT false
);
CREATE TRIGGER generators_updated BEFORE UPDATE ON generators FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE UNIQUE INDEX unique_generator_name ON generators (name) WHERE deleted_at IS NULL;
CREATE INDEX generators_pak_hash ON generators (pak_hash) WHERE deleted_at IS NULL;

INSERT INTO generators (name, description, is_system) VALUES ('__system__', 'System generator: every agent is registered with it', true);
