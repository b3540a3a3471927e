-- Work queues: who is working an application right now (claim), and the order queues are
-- read in (keyset pagination on submitted_at, id).
ALTER TABLE applications ADD COLUMN claimed_by BIGINT REFERENCES staff (id);
ALTER TABLE applications ADD COLUMN claimed_at TEXT;
CREATE INDEX applications_queue ON applications (status, submitted_at, id);
CREATE INDEX applications_queue_by_regency ON applications (regency_code, status, submitted_at, id);
CREATE INDEX applications_queue_by_district ON applications (district_code, status, submitted_at, id);
