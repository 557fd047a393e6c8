-- The tables of Quartz.NET's clustered ADO job store (Quartz 4.7, PostgreSQL dialect, table prefix
-- qrtz_), which the Quartz package does not create for us. Column names, types and nullability are
-- Quartz's own: the store checks them at start-up (schema validation), so change them only together
-- with a Quartz upgrade, in a new migration. They live in the broker's schema like every other table
-- (BROKKR__DATABASE__SCHEMA; Quartz reaches them through the connection's search_path).

-- Jobs: one row per durable job (Brokkr: one per ScheduledRequest, group "brokkr").
CREATE TABLE qrtz_job_details (
    sched_name TEXT NOT NULL,
    job_name TEXT NOT NULL,
    job_group TEXT NOT NULL,
    description TEXT,
    job_class_name TEXT NOT NULL,
    is_durable BOOL NOT NULL,
    is_nonconcurrent BOOL NOT NULL,
    is_update_data BOOL NOT NULL,
    requests_recovery BOOL NOT NULL,
    job_data BYTEA,
    PRIMARY KEY (sched_name, job_name, job_group)
);

-- Triggers: the common part of every trigger kind; the kind-specific part is in the tables below.
CREATE TABLE qrtz_triggers (
    sched_name TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    job_name TEXT NOT NULL,
    job_group TEXT NOT NULL,
    description TEXT,
    next_fire_time BIGINT,
    prev_fire_time BIGINT,
    priority INTEGER,
    trigger_state TEXT NOT NULL,
    trigger_type TEXT NOT NULL,
    start_time BIGINT NOT NULL,
    end_time BIGINT,
    calendar_name TEXT,
    misfire_instr SMALLINT,
    misfire_orig_fire_time BIGINT,
    execution_group VARCHAR(200),
    preferred_node VARCHAR(200),
    preferred_node_auto BOOL NOT NULL DEFAULT FALSE,
    retry_policy VARCHAR(250),
    retry_attempt INTEGER,
    continues_trigger_name TEXT,
    continues_trigger_group TEXT,
    continuation_condition INTEGER,
    overlap_policy INTEGER,
    pause_reason VARCHAR(250),
    paused_by VARCHAR(200),
    paused_at BIGINT,
    misfire_threshold BIGINT,
    fixed_delay BOOL,
    job_data BYTEA,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details (sched_name, job_name, job_group)
);

CREATE TABLE qrtz_simple_triggers (
    sched_name TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    repeat_count BIGINT NOT NULL,
    repeat_interval BIGINT NOT NULL,
    times_triggered BIGINT NOT NULL,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_cron_triggers (
    sched_name TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    cron_expression TEXT NOT NULL,
    time_zone_id TEXT,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_simprop_triggers (
    sched_name TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    str_prop_1 TEXT,
    str_prop_2 TEXT,
    str_prop_3 TEXT,
    int_prop_1 INTEGER,
    int_prop_2 INTEGER,
    long_prop_1 BIGINT,
    long_prop_2 BIGINT,
    dec_prop_1 NUMERIC,
    dec_prop_2 NUMERIC,
    bool_prop_1 BOOL,
    bool_prop_2 BOOL,
    time_zone_id TEXT,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_blob_triggers (
    sched_name TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    blob_data BYTEA,
    PRIMARY KEY (sched_name, trigger_name, trigger_group),
    FOREIGN KEY (sched_name, trigger_name, trigger_group) REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
);

CREATE TABLE qrtz_calendars (
    sched_name TEXT NOT NULL,
    calendar_name TEXT NOT NULL,
    calendar BYTEA NOT NULL,
    PRIMARY KEY (sched_name, calendar_name)
);

CREATE TABLE qrtz_paused_trigger_grps (
    sched_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    pause_reason VARCHAR(250),
    paused_by VARCHAR(200),
    paused_at BIGINT,
    PRIMARY KEY (sched_name, trigger_group)
);

CREATE TABLE qrtz_paused_job_grps (
    sched_name TEXT NOT NULL,
    job_group TEXT NOT NULL,
    pause_reason VARCHAR(250),
    paused_by VARCHAR(200),
    paused_at BIGINT,
    PRIMARY KEY (sched_name, job_group)
);

-- Firings in progress, per node: what cluster recovery hands to a surviving node.
CREATE TABLE qrtz_fired_triggers (
    sched_name TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    fired_time BIGINT NOT NULL,
    sched_time BIGINT NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT NOT NULL,
    job_name TEXT,
    job_group TEXT,
    is_nonconcurrent BOOL NOT NULL,
    requests_recovery BOOL,
    execution_group VARCHAR(200),
    progress INTEGER,
    progress_message VARCHAR(250),
    interrupt_requested_time BIGINT,
    PRIMARY KEY (sched_name, entry_id)
);

-- Cluster membership: each node checks in here; a node that stops checking in is recovered.
CREATE TABLE qrtz_scheduler_state (
    sched_name TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    last_checkin_time BIGINT NOT NULL,
    checkin_interval BIGINT NOT NULL,
    quartz_version VARCHAR(20),
    PRIMARY KEY (sched_name, instance_name)
);

-- The row locks (TRIGGER_ACCESS, STATE_ACCESS) that serialise the nodes of a cluster.
CREATE TABLE qrtz_locks (
    sched_name TEXT NOT NULL,
    lock_name TEXT NOT NULL,
    PRIMARY KEY (sched_name, lock_name)
);

-- Quartz's optional execution history. Brokkr keeps its own (job_runs), but the store's schema check
-- covers these tables as part of the 4.x schema, so they exist, empty.
CREATE TABLE qrtz_execution_history (
    sched_name TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    job_name TEXT NOT NULL,
    job_group TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    fired_time BIGINT NOT NULL,
    run_time BIGINT NOT NULL,
    succeeded BOOL NOT NULL,
    error_message TEXT,
    retry_attempt INTEGER NOT NULL DEFAULT 0,
    retry_scheduled BOOL NOT NULL DEFAULT FALSE,
    execution_log TEXT,
    result INTEGER,
    summary TEXT,
    metrics TEXT,
    manual BOOL,
    fire_instance_id TEXT,
    job_input TEXT,
    job_input_too_large BOOL,
    PRIMARY KEY (sched_name, entry_id)
);

CREATE TABLE qrtz_misfire_history (
    sched_name TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    instance_name TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    trigger_group TEXT NOT NULL,
    job_name TEXT,
    job_group TEXT,
    misfire_time BIGINT NOT NULL,
    sched_time BIGINT,
    reason INTEGER,
    PRIMARY KEY (sched_name, entry_id)
);

CREATE TABLE qrtz_job_status (
    sched_name TEXT NOT NULL,
    job_group TEXT NOT NULL,
    job_name TEXT NOT NULL,
    first_fired_time BIGINT NOT NULL,
    last_fired_time BIGINT NOT NULL,
    last_result INTEGER NOT NULL,
    last_run_time BIGINT NOT NULL,
    last_instance_name TEXT NOT NULL,
    last_entry_id TEXT,
    last_summary TEXT,
    last_success_time BIGINT,
    last_failure_time BIGINT,
    last_failure_message TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    run_count BIGINT NOT NULL DEFAULT 0,
    failure_count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (sched_name, job_group, job_name)
);

-- Indexes: each leads with sched_name, the way the store queries.
CREATE INDEX idx_qrtz_j_g_n ON qrtz_job_details (sched_name, job_group, job_name);
CREATE INDEX idx_qrtz_t_j ON qrtz_triggers (sched_name, job_name, job_group);
CREATE INDEX idx_qrtz_t_g_n ON qrtz_triggers (sched_name, trigger_group, trigger_name);
CREATE INDEX idx_qrtz_t_c ON qrtz_triggers (sched_name, calendar_name);
CREATE INDEX idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time ASC, priority DESC, misfire_instr);
CREATE INDEX idx_qrtz_ft_inst_job_req_rcvry ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
CREATE INDEX idx_qrtz_ft_j_g ON qrtz_fired_triggers (sched_name, job_name, job_group);
CREATE INDEX idx_qrtz_ft_t_g ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
CREATE INDEX idx_qrtz_eh_fired_time ON qrtz_execution_history (sched_name, fired_time);
CREATE INDEX idx_qrtz_eh_inst ON qrtz_execution_history (sched_name, instance_name);
CREATE INDEX idx_qrtz_eh_job_time ON qrtz_execution_history (sched_name, job_group, job_name, fired_time);
CREATE INDEX idx_qrtz_eh_fire_inst ON qrtz_execution_history (sched_name, fire_instance_id);
CREATE INDEX idx_qrtz_eh_trig_time ON qrtz_execution_history (sched_name, trigger_group, trigger_name, fired_time);
CREATE INDEX idx_qrtz_mh_misfire_time ON qrtz_misfire_history (sched_name, misfire_time);
CREATE INDEX idx_qrtz_mh_inst ON qrtz_misfire_history (sched_name, instance_name);
