-- Staff accounts made by administrators: the new staff member (or one who forgot) sets
-- their own password through a link sent by email — single use, 24 hours, only the token's
-- SHA-256 kept — so no administrator ever sees or sets another person's password.
CREATE TABLE staff_password_links (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX staff_password_links_by_staff ON staff_password_links (staff_id);
