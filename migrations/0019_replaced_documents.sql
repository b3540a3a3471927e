-- A document replaced from tracking keeps its original until the decision, so staff can
-- compare the two: the original gets `replaced_at`, the new file `replacement`. Only the
-- row without `replaced_at` is the application's current document of its kind.
ALTER TABLE uploads ADD COLUMN replaced_at TEXT;
ALTER TABLE uploads ADD COLUMN replacement BOOLEAN NOT NULL DEFAULT FALSE;
