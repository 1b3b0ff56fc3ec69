-- Version 3: a person can be revoked (their token and sessions stop working)
-- without deleting them, so the audit log keeps naming who did what.

ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
