-- What a staff view opened, beyond the application: the document (its kind and upload id)
-- or, for an application shown in another's household panel, the application opened.
ALTER TABLE access_log ADD COLUMN detail TEXT;
-- A message given up on: refused for good by the mail server, or failing for a day. Kept
-- for administrators to see (and purged with sent ones, see README "What is kept").
ALTER TABLE outbox_messages ADD COLUMN failed_at TEXT;
CREATE INDEX outbox_messages_failed ON outbox_messages (failed_at);
