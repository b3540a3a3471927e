-- Letters (decision and referral letters): made with the decision, in its transaction, with
-- the office's number (a sequence per year, with no gaps). What a letter's verification code
-- vouches for is these columns; the code itself is the office's signature over them, made
-- again whenever the letter is shown (Ed25519 signatures are deterministic).
CREATE TABLE letter_counters (
    year BIGINT PRIMARY KEY,
    n BIGINT NOT NULL
);
CREATE TABLE letters (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    history_id BIGINT NOT NULL REFERENCES application_history (id),
    -- domain::letter::LetterKind slugs.
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    sequence BIGINT NOT NULL,
    issued_at TEXT NOT NULL,
    -- The role of who decided (domain::workflow::Role slug): the letter names the role, not the person.
    signer_role TEXT NOT NULL,
    UNIQUE (year, sequence),
    UNIQUE (history_id, kind)
);
CREATE INDEX letters_by_application ON letters (application_id, id);
