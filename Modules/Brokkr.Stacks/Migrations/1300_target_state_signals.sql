-- Target state is cached in each broker (ADR 0033). Whatever changes an input of the target-state
-- query says so from here, whichever code path or process made the change:
--   * NOTIFY brokkr_target_state, delivered on commit to every broker (other replicas included);
--   * a NOTICE with the same scope, seen at once by the session that made the change, so the broker
--     that made it reads its own write without waiting for the NOTIFY to come back.
-- The scope is '*' (every agent) or a comma-separated list of agent ids.

CREATE FUNCTION brokkr_target_state_signal(scope text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('brokkr_target_state', scope);
    RAISE NOTICE USING MESSAGE = 'brokkr_target_state ' || scope;
END $$;

-- Statement-level with a transition table named "changed": one signal per statement, none when no
-- row changed (cleanup jobs that delete nothing stay silent).
CREATE FUNCTION brokkr_target_state_changed_all() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed) THEN
        PERFORM brokkr_target_state_signal('*');
    END IF;
    RETURN NULL;
END $$;

-- Tables keyed by agent_id: only those agents' entries go; a statement touching many agents
-- (a retention cleanup) drops everything rather than sending a payload near NOTIFY's 8000-byte limit.
CREATE FUNCTION brokkr_target_state_changed_agents() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    agents int;
    ids text;
BEGIN
    SELECT count(DISTINCT agent_id), string_agg(DISTINCT agent_id::text, ',') INTO agents, ids FROM changed;
    IF agents > 100 THEN
        PERFORM brokkr_target_state_signal('*');
    ELSIF agents > 0 THEN
        PERFORM brokkr_target_state_signal(ids);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION brokkr_target_state_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM brokkr_target_state_signal('*');
    RETURN NULL;
END $$;

-- The agents table itself: only existence and soft deletion matter, not heartbeats.
CREATE FUNCTION brokkr_target_state_agent_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM brokkr_target_state_signal(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END::text);
    RETURN NULL;
END $$;

CREATE TRIGGER agents_target_state_existence AFTER INSERT OR DELETE ON agents
    FOR EACH ROW EXECUTE FUNCTION brokkr_target_state_agent_row();
CREATE TRIGGER agents_target_state_deletion AFTER UPDATE OF deleted_at ON agents
    FOR EACH ROW WHEN (OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION brokkr_target_state_agent_row();

DO $$
DECLARE
    target record;
BEGIN
    FOR target IN
        SELECT * FROM (VALUES
            ('stacks', 'brokkr_target_state_changed_all'),
            ('deployment_objects', 'brokkr_target_state_changed_all'),
            ('stack_labels', 'brokkr_target_state_changed_all'),
            ('stack_annotations', 'brokkr_target_state_changed_all'),
            ('agent_targets', 'brokkr_target_state_changed_agents'),
            ('agent_labels', 'brokkr_target_state_changed_agents'),
            ('agent_annotations', 'brokkr_target_state_changed_agents'),
            ('agent_generator_registrations', 'brokkr_target_state_changed_agents'),
            ('agent_events', 'brokkr_target_state_changed_agents'),
            ('stack_deletion_deliveries', 'brokkr_target_state_changed_agents')
        ) AS t(table_name, function_name)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION %I()',
            target.table_name || '_target_state_insert', target.table_name, target.function_name);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION %I()',
            target.table_name || '_target_state_update', target.table_name, target.function_name);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION %I()',
            target.table_name || '_target_state_delete', target.table_name, target.function_name);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION brokkr_target_state_truncated()',
            target.table_name || '_target_state_truncate', target.table_name);
    END LOOP;
END $$;
