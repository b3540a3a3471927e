-- Answers a resident fixed online after staff asked for a correction: which part, what it
-- said before and after (JSON), when. Staff see what changed; rows are never changed.
CREATE TABLE answer_fixes (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    step TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX answer_fixes_by_application ON answer_fixes (application_id, at);
{{APPEND_ONLY answer_fixes}}
