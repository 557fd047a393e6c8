CREATE TABLE agent_generator_registrations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    agent_id UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    generator_id UUID NOT NULL REFERENCES generators (id) ON DELETE CASCADE,
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT unique_agent_generator_registration UNIQUE (agent_id, generator_id)
);
CREATE INDEX agent_generator_registrations_generator ON agent_generator_registrations (generator_id);
