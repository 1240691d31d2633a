-- The scheduler: its lease, a record of job runs, job-alert matching and digests, and the
-- nightly statistics snapshots. Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ'.

-- One row per lease name: the scheduler process holding it runs the timed jobs; another
-- waits until expires_at has passed without a renewal and then takes over.
CREATE TABLE scheduler_leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,              -- host:pid:random of the holding process
    acquired_at TEXT NOT NULL,
    renewed_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- Every job run, by whom: what the scheduler did, and proof that two never ran at once.
CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    job_id      TEXT NOT NULL,
    holder      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'error')),
    detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX job_runs_by_job ON job_runs (job_id, started_at);
CREATE INDEX job_runs_by_start ON job_runs (started_at);

-- Match keys: each alert-eligible seeker's wanted (occupation, region, employment type)
-- combinations, '*' for a kind with no preference, with the minimum hourly wage. Triggers
-- below keep it in step with seekers, seeker_prefs and the opt-out registry, so matching a
-- batch of openings is one index range scan per (opening, key pattern).
CREATE TABLE alert_keys (
    occupation      TEXT NOT NULL,
    region          TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    min_hourly_wage INTEGER NOT NULL,
    seeker_id       INTEGER NOT NULL,
    frequency       TEXT NOT NULL,
    PRIMARY KEY (occupation, region, employment_type, min_hourly_wage, seeker_id)
) WITHOUT ROWID;
CREATE INDEX alert_keys_by_seeker ON alert_keys (seeker_id);

-- Which openings the matcher has looked at: changed openings are re-examined after this.
CREATE TABLE match_cursor (
    name        TEXT PRIMARY KEY,
    updated_at  TEXT NOT NULL,
    opening_id  INTEGER NOT NULL
);

-- One matcher pass over a batch of new or changed openings.
CREATE TABLE match_batches (
    id          INTEGER PRIMARY KEY,
    matched_at  TEXT NOT NULL,
    openings    INTEGER NOT NULL,
    pairs       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE match_batch_openings (
    batch_id    INTEGER NOT NULL REFERENCES match_batches (id) ON DELETE CASCADE,
    opening_id  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, opening_id)
) WITHOUT ROWID;

-- (opening, seeker) pairs found by the matcher: the primary key makes "alerted at most once,
-- ever" a constraint. frequency is the seeker's choice when matched; state 'sent' once an
-- instant alert went out, otherwise the pair waits for the digest covering its batch.
-- No foreign keys and no CHECK constraints on purpose: a pair is written millions of times a
-- day, and the two CHECKs doubled the cost of storing 4M pairs (docs/benchmarks.md). The
-- values come from alert_keys (seekers.alert_frequency) and kiosk.matching.mark_sent only.
CREATE TABLE alert_pairs (
    opening_id  INTEGER NOT NULL,
    seeker_id   INTEGER NOT NULL,
    batch_id    INTEGER NOT NULL,
    frequency   TEXT NOT NULL,              -- 'instant', 'daily' or 'weekly'
    state       TEXT NOT NULL DEFAULT 'pending',  -- 'pending' or 'sent'
    PRIMARY KEY (opening_id, seeker_id)
) WITHOUT ROWID;

-- Instant alerts sent to a seeker on a local day, against the daily cap.
CREATE TABLE alert_daily_counts (
    seeker_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    sent        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seeker_id, day)
) WITHOUT ROWID;

-- One digest per kind and slot (the local date of its 09:00); it covers the match batches
-- after the previous run's last_batch up to its own. A slot runs once, however late.
CREATE TABLE digest_runs (
    kind        TEXT NOT NULL CHECK (kind IN ('daily', 'weekly')),
    slot        TEXT NOT NULL,
    first_batch INTEGER NOT NULL,
    last_batch  INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    seekers     INTEGER NOT NULL DEFAULT 0,
    messages    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, slot)
);

-- The nightly statistics snapshot per center (center_id 0: every center together).
CREATE TABLE stats_snapshots (
    day         TEXT NOT NULL,
    center_id   INTEGER NOT NULL,
    data        TEXT NOT NULL,
    taken_at    TEXT NOT NULL,
    PRIMARY KEY (day, center_id)
);

-- Keeping alert_keys in step. Each trigger rebuilds one seeker's keys from scratch, from this
-- view: one row per wanted combination ('*' where a kind has no preference) of a seeker who
-- may get alerts. SQLite flattens the view, so `WHERE seeker_id = ?` stays an index lookup.
CREATE VIEW alert_key_rows AS
SELECT coalesce(po.value, '*') AS occupation, coalesce(pr.value, '*') AS region,
       coalesce(pe.value, '*') AS employment_type, s.min_hourly_wage AS min_hourly_wage,
       s.id AS seeker_id, s.alert_frequency AS frequency
FROM seekers s
LEFT JOIN seeker_prefs po ON po.seeker_id = s.id AND po.kind = 'occupation'
LEFT JOIN seeker_prefs pr ON pr.seeker_id = s.id AND pr.kind = 'region'
LEFT JOIN seeker_prefs pe ON pe.seeker_id = s.id AND pe.kind = 'employment_type'
WHERE s.status = 'active' AND s.phone IS NOT NULL
  AND s.alerts_consent = 1 AND s.alerts_paused = 0 AND s.alert_frequency <> 'off'
  AND NOT EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = s.phone AND o.opted_out = 1);

-- Each engine's own from here: 0005_scheduler.postgresql.sql has PostgreSQL's triggers.
CREATE TRIGGER alert_keys_prefs_insert AFTER INSERT ON seeker_prefs
WHEN NEW.kind IN ('occupation', 'region', 'employment_type') BEGIN
    DELETE FROM alert_keys WHERE seeker_id = NEW.seeker_id;
    INSERT INTO alert_keys SELECT * FROM alert_key_rows WHERE seeker_id = NEW.seeker_id;
END;

CREATE TRIGGER alert_keys_prefs_delete AFTER DELETE ON seeker_prefs
WHEN OLD.kind IN ('occupation', 'region', 'employment_type') BEGIN
    DELETE FROM alert_keys WHERE seeker_id = OLD.seeker_id;
    INSERT INTO alert_keys SELECT * FROM alert_key_rows WHERE seeker_id = OLD.seeker_id;
END;

CREATE TRIGGER alert_keys_seeker_insert AFTER INSERT ON seekers BEGIN
    INSERT INTO alert_keys SELECT * FROM alert_key_rows WHERE seeker_id = NEW.id;
END;

CREATE TRIGGER alert_keys_seeker_update AFTER UPDATE OF phone, alert_frequency, alerts_consent,
    alerts_paused, min_hourly_wage, status ON seekers BEGIN
    DELETE FROM alert_keys WHERE seeker_id = NEW.id;
    INSERT INTO alert_keys SELECT * FROM alert_key_rows WHERE seeker_id = NEW.id;
END;

CREATE TRIGGER alert_keys_optout_insert AFTER INSERT ON sms_optouts BEGIN
    UPDATE seekers SET phone = phone WHERE phone = NEW.phone;
END;

CREATE TRIGGER alert_keys_optout_update AFTER UPDATE OF opted_out ON sms_optouts BEGIN
    UPDATE seekers SET phone = phone WHERE phone = NEW.phone;
END;
