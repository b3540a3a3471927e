-- Applications, their documents, and what links them.
-- Personal data lives here and nowhere else (not in URLs, not in logs): NIK, KK, name,
-- birth date, phone, address, the need's description and the uploaded documents.

CREATE TABLE applications (
    id {{ID}},
    -- The number residents read over the phone (9 symbols, no dashes) and the hash of
    -- their PIN (argon2id); never the PIN itself.
    registration_number TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    -- One per draft: a double tap or a retried post finds the application it already made.
    idempotency_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    -- TRUE until the application is decided, withdrawn or closed: at most one open
    -- application per person and program (the partial unique index below).
    open BOOLEAN NOT NULL DEFAULT TRUE,
    -- 'online' (the resident or someone for them) or 'service_point' (at the counter).
    channel TEXT NOT NULL,
    program_id BIGINT NOT NULL REFERENCES programs (id),
    ppks_code BIGINT NOT NULL REFERENCES ppks_categories (code),
    nik TEXT NOT NULL,
    kk TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT,
    village_code TEXT NOT NULL REFERENCES villages (code),
    district_code TEXT NOT NULL,
    regency_code TEXT NOT NULL,
    street TEXT NOT NULL,
    rt TEXT NOT NULL,
    rw TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Who applied (JSON of domain::apply::Who) and the other household members (JSON).
    applicant TEXT NOT NULL,
    household TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    -- The decision date promised on the receipt (YYYY-MM-DD), in working days.
    decision_due TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX applications_one_open_per_person_and_program ON applications (nik, program_id) WHERE open = TRUE;
CREATE INDEX applications_by_kk ON applications (kk, open);
CREATE INDEX applications_by_status ON applications (status, submitted_at);
CREATE INDEX applications_by_area ON applications (district_code, status);

-- Every status change, appended and never updated: who (or which channel), when, from, to.
CREATE TABLE application_history (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT
);
CREATE INDEX application_history_by_application ON application_history (application_id, id);

-- Other open applications of the same family card at the time of submission, for staff.
CREATE TABLE application_links (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    other_application_id BIGINT NOT NULL REFERENCES applications (id),
    reason TEXT NOT NULL,
    PRIMARY KEY (application_id, other_application_id)
);

-- Uploaded files. `id` is random and is also the file's name under LAYAN_UPLOAD_DIR (a
-- name from the client is never used). While the application is a draft the upload
-- belongs to the draft (by its token hash); on submission it moves to the application.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    draft_hash TEXT,
    application_id BIGINT REFERENCES applications (id),
    document_kind TEXT NOT NULL,
    file_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX uploads_by_draft ON uploads (draft_hash, document_kind);
CREATE INDEX uploads_by_application ON uploads (application_id, document_kind);

-- Days that do not count towards a deadline, besides weekends (kept by administrators).
CREATE TABLE public_holidays (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
