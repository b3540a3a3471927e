-- A second open application for the same person and program is no longer refused: a
-- stranger who knows a NIK could otherwise block the real one, and the refusal told anyone
-- with a NIK that this person had applied. It is accepted and flagged for the verifier,
-- who compares the two in the household panel and decides (documents in order with "not a
-- duplicate", or rejected as a duplicate), with a history line either way.
DROP INDEX applications_one_open_per_person_and_program;
CREATE INDEX applications_by_person_and_program ON applications (nik, program_id) WHERE open = TRUE;
-- The open application of the same person and program at submission; cleared when a
-- verifier records that this one is not a duplicate.
ALTER TABLE applications ADD COLUMN duplicate_of BIGINT REFERENCES applications (id);

-- The registration number a complaint names when no application has it: the complaint is
-- kept (as a general one), so the form never tells whether a number exists.
ALTER TABLE complaints ADD COLUMN stated_number TEXT;
