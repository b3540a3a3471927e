-- Report deltas: what a submission, move or complaint adds to the report tallies is
-- appended here, in the change's own transaction, instead of being added to the tally rows
-- there and then. Every submission of a day counts into the same few tally rows (one
-- village, one day, one status), so adding in place made concurrent submissions queue on
-- those rows and, on PostgreSQL, deadlock when two took them in different orders. An
-- appended row is nobody else's; a background fold (src/server/db/reports.rs `fold`) moves
-- deltas into report_daily and report_monthly in one transaction at a time, in key order,
-- and every report folds what is pending before it reads, so reports stay exact.
CREATE TABLE report_deltas (
    id {{ID}},
    measure TEXT NOT NULL,
    day TEXT NOT NULL,
    village_code TEXT NOT NULL,
    service_point_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    n BIGINT NOT NULL
);
