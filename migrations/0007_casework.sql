-- Casework: who moved an application and as what, the walk-in registrations made at a
-- service point, and the log of every staff view of personal data.

-- Each history line of a staff move names the staff member, the role they acted in, the
-- move, and what it carried (JSON of domain::decision::Action). Lines are only ever added.
ALTER TABLE application_history ADD COLUMN staff_id BIGINT REFERENCES staff (id);
ALTER TABLE application_history ADD COLUMN actor_role TEXT;
ALTER TABLE application_history ADD COLUMN action TEXT;
ALTER TABLE application_history ADD COLUMN details TEXT;
{{APPEND_ONLY application_history}}

-- A walk-in registration: the officer who filled it in, at which service point.
ALTER TABLE applications ADD COLUMN registered_by BIGINT REFERENCES staff (id);
ALTER TABLE applications ADD COLUMN service_point_id BIGINT REFERENCES service_points (id);

-- Every opening of an application's full data (review page, a document) by staff: who,
-- when, which application, what. Kept for audit; never updated or deleted by Layan.
CREATE TABLE access_log (
    id {{ID}},
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at TEXT NOT NULL,
    what TEXT NOT NULL
);
CREATE INDEX access_log_by_application ON access_log (application_id, at);
CREATE INDEX access_log_by_staff ON access_log (staff_id, at);
{{APPEND_ONLY access_log}}
