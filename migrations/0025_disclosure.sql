-- Residents' rights (issue 17): whether the person an application is about lets the one who
-- applied for them see its details (domain::disclosure).
ALTER TABLE applications ADD COLUMN shared_with_applicant BOOLEAN NOT NULL DEFAULT FALSE;

-- Consent withdrawn by the person (UU 27/2022): an open application is withdrawn; a decided
-- one has its personal data restricted at once (`restricted_at`: hidden from queues and
-- staff lists; only an administrator lifts it, with a reason), and is erased at the end of
-- retention. Each withdrawal is recorded with whose consent it was.
ALTER TABLE applications ADD COLUMN restricted_at TEXT;
CREATE TABLE consent_withdrawals (
    id {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at TEXT NOT NULL,
    -- 'person': the person's own consent; 'on_behalf': the applicant applied for someone who
    -- could not consent, and the person now withdraws what was decided for them.
    whose TEXT NOT NULL,
    -- 'withdrawn' (the open application was withdrawn) or 'restricted'.
    outcome TEXT NOT NULL,
    lifted_at TEXT,
    lifted_by BIGINT REFERENCES staff (id),
    lift_reason TEXT
);
CREATE INDEX consent_withdrawals_by_application ON consent_withdrawals (application_id);
