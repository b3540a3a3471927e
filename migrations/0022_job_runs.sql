-- Work that must happen once across every Layan instance sharing the database (the
-- tidy-up, the nightly sweep of stored files, the staff digests): one row per job and
-- period (an hour number, an office date). The instance that inserts the row runs the job;
-- the others see the row and skip it. An instance that dies mid-run leaves the row
-- unfinished past its lease, and the next instance to look takes it over.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    period TEXT NOT NULL,
    instance TEXT NOT NULL,
    started_at TEXT NOT NULL,
    lease_until TEXT NOT NULL,
    finished_at TEXT,
    -- What the run did, in a few words (counts only: never personal data).
    outcome TEXT,
    PRIMARY KEY (job, period)
);
CREATE INDEX job_runs_by_start ON job_runs (started_at);
