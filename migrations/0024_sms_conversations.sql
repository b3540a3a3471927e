-- Text messages both ways (issue 16): delivery reports, the residents' own choice to stop
-- them, the one-time codes that recover a lost number or PIN by phone, and what the office
-- pays for.

-- A delivery report from the gateway: 'delivered' (the phone has it) or 'failed'; NULL
-- until one comes. `segments`: the billed parts of the message, set when it is sent.
ALTER TABLE outbox_messages ADD COLUMN delivery TEXT;
ALTER TABLE outbox_messages ADD COLUMN reported_at TEXT;
ALTER TABLE outbox_messages ADD COLUMN segments BIGINT;
CREATE INDEX outbox_messages_by_application ON outbox_messages (application_id, channel);

-- A phone's choice: `stopped` after BERHENTI, no longer after MULAI. One row per phone
-- (+62…), the latest choice and when; nothing but a reply to the command itself is sent to
-- a stopped phone.
CREATE TABLE sms_choices (
    phone TEXT PRIMARY KEY,
    stopped BOOLEAN NOT NULL,
    changed_at TEXT NOT NULL
);

-- The code texted to a phone to open its open applications: 6 digits, 15 minutes, single
-- use; one per phone (a new one replaces it in one statement, so two requests at once
-- cannot leave two live); only the code's keyed hash is kept.
CREATE TABLE phone_codes (
    phone TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX phone_codes_by_expiry ON phone_codes (expires_at);
CREATE INDEX applications_by_phone ON applications (phone);
CREATE INDEX complaints_by_phone ON complaints (phone);
ALTER TABLE tracking_sessions ADD COLUMN phone TEXT;

-- What text messages cost, per office month and event: kept beyond the outbox's 30 days.
CREATE TABLE sms_usage (
    month TEXT NOT NULL,
    event TEXT NOT NULL,
    sent BIGINT NOT NULL DEFAULT 0,
    segments BIGINT NOT NULL DEFAULT 0,
    delivered BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, event)
);
