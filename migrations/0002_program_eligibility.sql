-- The rules of "which aid fits me" (src/domain/eligibility.rs), as JSON on each program.
-- NULL: the program is not offered by the check (it can still be applied for directly).
ALTER TABLE programs ADD COLUMN eligibility TEXT;
