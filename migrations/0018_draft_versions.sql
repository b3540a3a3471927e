-- Every save of a draft names the version it read and bumps it (compare-and-swap), so a
-- step post or an upload that started before the submission cannot write its stale draft
-- over the submitted one. A counter registration's draft belongs to the officer's session
-- (its token's SHA-256) and ends with it.
ALTER TABLE drafts ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN walk_in_session TEXT;
CREATE INDEX drafts_by_walk_in_session ON drafts (walk_in_session);
