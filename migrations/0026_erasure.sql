-- Retention (README "What is kept"): when an application closed and when its personal data
-- was erased; the same for complaints. The audit trails stay append-only, with one narrow
-- exception each: the columns that hold words about the person, and only once the row's
-- application or complaint is marked erased.
ALTER TABLE applications ADD COLUMN closed_at TEXT;
ALTER TABLE applications ADD COLUMN erased_at TEXT;
ALTER TABLE complaints ADD COLUMN erased_at TEXT;
-- Closed before this column: the last line of its history, or its last change.
UPDATE applications SET closed_at = COALESCE(
    (SELECT MAX(h.at) FROM application_history h WHERE h.application_id = applications.id), updated_at)
WHERE open = FALSE;
-- What the daily erasure reads: closed (or restricted) and not yet erased, oldest first.
CREATE INDEX applications_to_erase ON applications (closed_at) WHERE erased_at IS NULL;
CREATE INDEX applications_restricted_to_erase ON applications (restricted_at) WHERE erased_at IS NULL;
CREATE INDEX complaints_to_erase ON complaints (status, updated_at) WHERE erased_at IS NULL;
{{ERASABLE application_history OF applications.application_id: note, details; KEEP id, application_id, at, from_status, to_status, actor, staff_id, actor_role, action}}
{{ERASABLE answer_fixes OF applications.application_id: before_value, after_value; KEEP id, application_id, step, at}}
{{ERASABLE complaint_history OF complaints.complaint_id: message; KEEP id, complaint_id, at, from_status, to_status, actor, staff_id, actor_role}}
