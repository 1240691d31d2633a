-- When a seeker's digest comes: a window of the day by name (morning, midday, evening; the
-- windows themselves are settings). NULL: the configured default.
ALTER TABLE seekers ADD COLUMN digest_time TEXT;

-- Openings of a digest that did not fit the day at the account's send rate: they go into the
-- seeker's next digest of the same kind instead of a stale one sent late.
CREATE TABLE digest_folds (
    kind       TEXT NOT NULL,
    seeker_id  INTEGER NOT NULL,
    opening_id INTEGER NOT NULL,
    slot       TEXT NOT NULL,
    PRIMARY KEY (kind, seeker_id, opening_id)
);

-- Each run's plan: per window, how many digests, the expected last send time, how many folded.
ALTER TABLE digest_runs ADD COLUMN plan TEXT;
ALTER TABLE digest_runs ADD COLUMN folded INTEGER NOT NULL DEFAULT 0;
