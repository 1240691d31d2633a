-- Hourly caps on what one client address, kiosk device, visitor or number may ask for, and on
-- the whole installation (kiosk/core/limits.py): one row per counted action per scope it counts
-- toward. Subjects are keyed fingerprints, never an address or a number; rows older than a
-- day are deleted by the retention job.
CREATE TABLE limit_events (
    id      INTEGER PRIMARY KEY,
    action  TEXT NOT NULL,      -- 'code', 'send', 'ask'
    scope   TEXT NOT NULL,      -- 'client', 'device', 'visitor', 'number', 'all'
    subject TEXT NOT NULL,      -- a keyed fingerprint; '' for the whole installation
    at      TEXT NOT NULL
);

CREATE INDEX limit_events_recent ON limit_events (action, scope, subject, at);
CREATE INDEX limit_events_at ON limit_events (at);
