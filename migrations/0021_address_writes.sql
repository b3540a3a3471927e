-- Anonymous writes (new drafts, uploads, complaints) per address, for their hourly budgets
-- (src/domain/guessing.rs `Write`). Kept an hour, then removed by the hourly tidy-up.
CREATE TABLE address_writes (
    id {{ID}},
    kind TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX address_writes_by_ip ON address_writes (kind, ip, at);
