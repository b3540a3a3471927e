-- Text messages go through the same outbox as emails: a row per channel and event, leased,
-- retried with backoff, capped, never sent twice. `recipient` is then a phone number (+62…).
ALTER TABLE outbox_messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';
