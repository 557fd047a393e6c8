-- The realtime channel's shared state across broker replicas (ADR 0023). All of it is soft state
-- that every replica rewrites every few seconds, so the tables are UNLOGGED: a database crash
-- empties them and the replicas fill them again on their next tick.

-- One row per running broker process: its liveness (seen_at, the database's clock) and what its
-- live subscribers listen to, so other replicas know whether a frame needs to leave the process.
CREATE UNLOGGED TABLE realtime_replicas (
    replica_id uuid PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz NOT NULL DEFAULT now(),
    fleet_subscribers integer NOT NULL DEFAULT 0,
    stack_subscribers integer NOT NULL DEFAULT 0,
    stacks uuid[] NOT NULL DEFAULT '{}'
);

-- The agent WebSocket each agent holds, on whichever replica; one per agent (a newer connection
-- replaces the row). Counters are flushed by the holding replica every tick.
CREATE UNLOGGED TABLE realtime_connections (
    agent_id uuid PRIMARY KEY,
    replica_id uuid NOT NULL,
    connection_id uuid NOT NULL,
    connected_since timestamptz NOT NULL,
    messages_in bigint NOT NULL DEFAULT 0,
    messages_out bigint NOT NULL DEFAULT 0
);

CREATE INDEX realtime_connections_replica ON realtime_connections (replica_id);

-- Bus messages too large for a NOTIFY payload (8000 bytes): the row is written in the same
-- transaction as the notification that names its id; rows older than a few minutes are deleted.
CREATE UNLOGGED TABLE realtime_messages (
    id bigserial PRIMARY KEY,
    payload text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX realtime_messages_created_at ON realtime_messages (created_at);
