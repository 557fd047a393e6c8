-- The outcome of each run of a maintenance job, written by whichever broker replica ran it, so the
-- jobs dashboard of any replica shows the last outcome and duration. Trimmed to the latest runs per job.
CREATE TABLE job_runs (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_key TEXT NOT NULL,
    scheduled_at TIMESTAMPTZ,
    fired_at TIMESTAMPTZ NOT NULL,
    duration_ms BIGINT NOT NULL CHECK (duration_ms >= 0),
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
    message TEXT,
    instance TEXT NOT NULL,
    manual BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX job_runs_job_latest ON job_runs (job_key, id DESC);
