-- Residents following their application with its number and PIN.

-- Lookups, for limiting guesses per registration number and per address (the address is
-- kept only here, briefly, as for staff sign-in).
CREATE TABLE tracking_attempts (
    id {{ID}},
    number TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX tracking_attempts_by_number ON tracking_attempts (number, at);
CREATE INDEX tracking_attempts_by_ip ON tracking_attempts (ip, at);

-- A browser that proved the number and PIN may see that one application for an hour (a
-- shared phone forgets it soon). Only the token's SHA-256 is stored.
CREATE TABLE tracking_sessions (
    token_hash TEXT PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX tracking_sessions_by_expiry ON tracking_sessions (expires_at);
