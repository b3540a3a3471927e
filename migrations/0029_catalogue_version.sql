-- What residents are offered (programs, what they serve and ask for, PPKS categories,
-- service points) changes only when an administrator changes it, so every instance keeps it
-- in memory (server::catalogue). This one row says when to read it again: every change to
-- those tables, by Layan or by hand, counts it up in the same transaction, and an instance
-- compares it with the number its copy was read at (at most once a second).
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);
{{COUNTS_CATALOGUE programs}}
{{COUNTS_CATALOGUE program_ppks}}
{{COUNTS_CATALOGUE program_documents}}
{{COUNTS_CATALOGUE ppks_categories}}
{{COUNTS_CATALOGUE service_points}}
