-- Residents' rights (issue 17): whether the person an application is about lets the one who
-- applied for them see its details (domain::disclosure).
ALTER TABLE applications ADD COLUMN shared_with_applicant BOOLEAN NOT NULL DEFAULT FALSE;
