-- Complaints and disputes, with their own numbers, history and files; tracking sessions that
-- open an application, a complaint, or the list behind an email sign-in link; and an outbox
-- that carries more than application events.

CREATE TABLE complaints (
    id {{ID}},
    -- Same shape as a registration number (domain::registration), and a PIN's argon2id hash.
    number TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    -- domain::complaint::ComplaintKind / ComplaintStatus slugs.
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    application_id BIGINT REFERENCES applications (id),
    service_point_id BIGINT REFERENCES service_points (id),
    -- Whose staff see it: the application's or the service point's area; NULL for a message
    -- about the office in general, which every complaint handler sees.
    regency_code TEXT,
    district_code TEXT,
    -- Optional: anyone may complain without a name. Personal data, like an application's.
    name TEXT,
    email TEXT,
    phone TEXT,
    message TEXT NOT NULL,
    received_at TEXT NOT NULL,
    -- The answer is due by this date (YYYY-MM-DD), in working days.
    due TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- The public form's one-time key (SHA-256): a double tap finds the complaint it made, and
    -- the receipt shows the PIN to that browser until receipt_until.
    receipt_key_hash TEXT UNIQUE,
    receipt_pin TEXT,
    receipt_until TEXT
);
CREATE INDEX complaints_by_status ON complaints (status, due);
CREATE INDEX complaints_by_area ON complaints (district_code, status, due);
CREATE INDEX complaints_by_application ON complaints (application_id);
-- One open dispute per application.
CREATE UNIQUE INDEX complaints_one_open_dispute ON complaints (application_id) WHERE kind = 'sanggah' AND status <> 'selesai';

-- The complaint's life: received, each reply, closing. Never updated or deleted.
CREATE TABLE complaint_history (
    id {{ID}},
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    -- 'resident' or 'staff'.
    actor TEXT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    actor_role TEXT,
    message TEXT
);
CREATE INDEX complaint_history_by_complaint ON complaint_history (complaint_id, id);
{{APPEND_ONLY complaint_history}}

-- A photo or letter sent with a complaint or dispute (files named by their random id).
CREATE TABLE complaint_files (
    id TEXT PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    file_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX complaint_files_by_complaint ON complaint_files (complaint_id);

-- Every staff opening of a complaint's personal data, as access_log for applications.
CREATE TABLE complaint_access_log (
    id {{ID}},
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    complaint_id BIGINT NOT NULL REFERENCES complaints (id),
    at TEXT NOT NULL,
    what TEXT NOT NULL
);
CREATE INDEX complaint_access_log_by_complaint ON complaint_access_log (complaint_id, at);
{{APPEND_ONLY complaint_access_log}}

-- Sessions now open an application, a complaint, or (after an email sign-in link) every
-- application and complaint of one email address. They last an hour; dropping the old
-- table only asks open browsers for their PIN again.
DROP TABLE tracking_sessions;
CREATE TABLE tracking_sessions (
    token_hash TEXT PRIMARY KEY,
    application_id BIGINT REFERENCES applications (id),
    complaint_id BIGINT REFERENCES complaints (id),
    -- Lower-cased; set only by a sign-in link.
    email TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX tracking_sessions_by_expiry ON tracking_sessions (expires_at);

-- Sign-in links by email: single use, 15 minutes; only the token's SHA-256 is kept.
CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX email_links_by_expiry ON email_links (expires_at);
CREATE INDEX applications_by_email ON applications (LOWER(email));
CREATE INDEX complaints_by_email ON complaints (LOWER(email));

-- The outbox, rebuilt so a row may be about a complaint, a sign-in link or a staff digest
-- as well as an application (SQLite cannot drop NOT NULL in place). Pending rows are kept.
CREATE TABLE outbox_messages (
    id {{ID}},
    event_key TEXT NOT NULL UNIQUE,
    -- 'application', 'complaint', 'sign_in', 'digest'.
    kind TEXT NOT NULL,
    application_id BIGINT REFERENCES applications (id),
    complaint_id BIGINT REFERENCES complaints (id),
    recipient TEXT NOT NULL,
    event TEXT NOT NULL,
    -- What the message needs beyond the row it is about (JSON); a sign-in link's token is
    -- here until the message is sent, then removed.
    details TEXT,
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
INSERT INTO outbox_messages (event_key, kind, application_id, recipient, event, details, created_at, attempts, next_attempt_at, sent_at, last_error)
    SELECT event_key, 'application', application_id, recipient, event, details, created_at, attempts, next_attempt_at, sent_at, last_error
    FROM outbox ORDER BY id;
DROP TABLE outbox;
CREATE INDEX outbox_messages_due ON outbox_messages (sent_at, next_attempt_at);
