-- Reports: small tallies per day and per month that every report adds up, so a year of a
-- million applications is read as tens of thousands of short rows, not a million wide ones.
--
-- A row counts, for one office day (WIB by default), one village and one service point
-- (0: online), how many things of one measure had one key: applications received on that
-- day by status, program, category, channel, sex and age group; decisions made that day by
-- outcome and program, and the working days they took; undecided applications by their
-- deadline; complaints received and closed. Written in the same transaction as the change
-- it counts (src/server/db/reports.rs); `layan rebuild-reports` recomputes it from the
-- applications. No personal data: counts only. Keys: src/domain/report.rs.

-- Read by measure: the weekly trend reads two measures of a year's days, and the days
-- around whole months (see report_monthly) are read measure by measure.
CREATE TABLE report_daily (
    measure TEXT NOT NULL,
    day TEXT NOT NULL,
    village_code TEXT NOT NULL,
    service_point_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (measure, day, village_code, service_point_id, key)
) {{WITHOUT_ROWID}};

-- The same tallies per calendar month ('YYYY-MM'): a year's report reads twelve months of
-- these, not 365 days of the daily ones.
CREATE TABLE report_monthly (
    month TEXT NOT NULL,
    village_code TEXT NOT NULL,
    service_point_id BIGINT NOT NULL,
    measure TEXT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (month, village_code, service_point_id, measure, key)
) {{WITHOUT_ROWID}};

-- Administrative changes (programs, categories, service points, holidays, staff) go to an
-- append-only history like application moves; filled by the administration pages.
CREATE TABLE admin_history (
    id {{ID}},
    at TEXT NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    -- What was changed: 'program', 'category', 'service_point', 'holiday', 'staff'.
    subject TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    action TEXT NOT NULL,
    -- JSON of what changed (never a password or a token).
    details TEXT
);
CREATE INDEX admin_history_by_subject ON admin_history (subject, subject_key, id);
{{APPEND_ONLY admin_history}}
