-- Application drafts: every completed step is saved under a random token held in the
-- resident's cookie (no account needed). Only the token's SHA-256 is stored, so the table
-- alone cannot be used to resume someone's draft. Drafts expire 30 days after their last save.
CREATE TABLE drafts (
    token_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX drafts_by_expiry ON drafts (expires_at);
