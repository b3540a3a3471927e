-- Email to residents, queued in the same transaction as the change it reports, so a change
-- is never without its message and a message never without its change. One row per event
-- (the unique key), sent by a background worker that retries with backoff.
CREATE TABLE outbox (
    id {{ID}},
    -- '<application id>:<history line id>': one message per event, however often queued.
    event_key TEXT NOT NULL UNIQUE,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    recipient TEXT NOT NULL,
    -- The status the application reached (domain::workflow::Status slug).
    event TEXT NOT NULL,
    -- What the move carried (JSON of domain::decision::Action), for the message's body.
    details TEXT,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    -- When to try next; a worker taking a row moves it on first (a lease), so two workers
    -- (two Layan instances) never send one row at the same time.
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
