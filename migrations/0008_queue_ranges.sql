-- The overdue queue is read longest-overdue first: by area, status and decision date, so it
-- too is a handful of index ranges however many applications there are.
CREATE INDEX applications_overdue_by_regency ON applications (regency_code, status, decision_due, id);
CREATE INDEX applications_overdue_by_district ON applications (district_code, status, decision_due, id);
