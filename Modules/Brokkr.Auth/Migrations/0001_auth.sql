CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE OR REPLACE FUNCTION update_timestamp() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE app_initialization (
    id SERIAL PRIMARY KEY,
    initialized_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE admin_role (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    pak_hash TEXT NOT NULL
);
CREATE TRIGGER admin_role_updated BEFORE UPDATE ON admin_role FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE INDEX admin_role_pak_hash ON admin_role (pak_hash);
