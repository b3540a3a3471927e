-- Tries at a secret (a tracking PIN, a staff password) and requests for an email sign-in
-- link, in one table for every limit on guessing (src/domain/guessing.rs). A try is written
-- *before* the secret is checked, as 'pending', and counted with the others, so of many
-- tries sent at the same moment at most the limit are judged; it becomes 'counted' (failed,
-- or a link request let through), 'succeeded', or 'refused' (over a limit, not judged).
-- Kept one day (the longest window), then removed by the hourly tidy-up.
CREATE TABLE guess_attempts (
    id {{ID}},
    -- 'pin', 'password', 'link'; family 'resident' or 'staff' (whose address budget).
    kind TEXT NOT NULL,
    family TEXT NOT NULL,
    -- A registration number, a username, or the SHA-256 of an email address.
    subject TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX guess_attempts_by_subject ON guess_attempts (kind, subject, at);
CREATE INDEX guess_attempts_by_ip ON guess_attempts (family, ip, at);

-- Replaced by guess_attempts; what they held was at most a day's tries.
DROP TABLE tracking_attempts;
DROP TABLE sign_in_attempts;
