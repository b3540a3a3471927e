-- Breach notices (UU 27/2022 art. 46: the people affected are told within 3 × 24 hours):
-- prepared by one administrator, confirmed by another, then queued to every resident of
-- the applications chosen. Kept, with every application each one went to.
CREATE TABLE breach_notices (
    id {{ID}},
    -- Which applications (JSON of domain::breach::Selection) and the office's words.
    selection TEXT NOT NULL,
    message TEXT NOT NULL,
    proposed_by BIGINT NOT NULL REFERENCES staff (id),
    proposed_at TEXT NOT NULL,
    confirmed_by BIGINT REFERENCES staff (id),
    confirmed_at TEXT,
    cancelled_by BIGINT REFERENCES staff (id),
    cancelled_at TEXT,
    -- Counted when confirmed: applications chosen, emails and text messages queued.
    applications BIGINT,
    emails BIGINT,
    texts BIGINT
);
CREATE TABLE breach_recipients (
    notice_id BIGINT NOT NULL REFERENCES breach_notices (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    PRIMARY KEY (notice_id, application_id)
) {{WITHOUT_ROWID}};
CREATE INDEX breach_recipients_by_application ON breach_recipients (application_id);
