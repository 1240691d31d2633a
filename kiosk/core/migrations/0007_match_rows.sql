-- Matches stored one row per (batch, opening) instead of one row per (opening, seeker).
--
-- A batch of 1,000 openings over a province's seekers finds about four million pairs; a
-- B-tree row per pair cost ~1.8 µs each (7.9 s a batch), a row per opening holding its
-- seekers as text costs nothing next to finding them. "A pair is alerted at most once,
-- ever" is kept by the matcher (kiosk.matching): an opening matched again leaves out every
-- seeker its earlier rows hold.

-- Each key carries its seeker as a token: the frequency's first letter and the seeker id
-- ('d123' daily, 'i45' instant, 'w6' weekly), so one group_concat per opening keeps both.
ALTER TABLE alert_keys ADD COLUMN tag TEXT NOT NULL DEFAULT '';
UPDATE alert_keys SET tag = substr(frequency, 1, 1) || seeker_id;

DROP VIEW IF EXISTS alert_key_rows;
CREATE VIEW alert_key_rows AS
SELECT coalesce(po.value, '*') AS occupation, coalesce(pr.value, '*') AS region,
       coalesce(pe.value, '*') AS employment_type, s.min_hourly_wage AS min_hourly_wage,
       s.id AS seeker_id, s.alert_frequency AS frequency,
       substr(s.alert_frequency, 1, 1) || s.id AS tag
FROM seekers s
LEFT JOIN seeker_prefs po ON po.seeker_id = s.id AND po.kind = 'occupation'
LEFT JOIN seeker_prefs pr ON pr.seeker_id = s.id AND pr.kind = 'region'
LEFT JOIN seeker_prefs pe ON pe.seeker_id = s.id AND pe.kind = 'employment_type'
WHERE s.status = 'active' AND s.phone IS NOT NULL
  AND s.alerts_consent = 1 AND s.alerts_paused = 0 AND s.alert_frequency <> 'off'
  AND NOT EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = s.phone AND o.opted_out = 1);

-- What the matcher found for one opening in one batch: `seekers` is the tokens above joined
-- by commas, `pairs` how many. Pruned with the opening once it has been closed a while.
CREATE TABLE alert_matches (
    batch_id    INTEGER NOT NULL,
    opening_id  INTEGER NOT NULL,
    pairs       INTEGER NOT NULL,
    seekers     TEXT NOT NULL,
    PRIMARY KEY (batch_id, opening_id)
);
CREATE INDEX alert_matches_by_opening ON alert_matches (opening_id, batch_id);

-- Instant alerts that went out, so the daily digest leaves them out. Needed only until the
-- daily digest covering the batch has run.
CREATE TABLE alert_instant_sent (
    batch_id    INTEGER NOT NULL,
    seeker_id   INTEGER NOT NULL,
    opening_id  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, seeker_id, opening_id)
) WITHOUT ROWID;

INSERT INTO alert_matches (batch_id, opening_id, pairs, seekers)
SELECT batch_id, opening_id, count(*), group_concat(substr(frequency, 1, 1) || seeker_id)
FROM alert_pairs GROUP BY batch_id, opening_id;
INSERT INTO alert_instant_sent (batch_id, seeker_id, opening_id)
SELECT batch_id, seeker_id, opening_id FROM alert_pairs WHERE state = 'sent';
DROP TABLE alert_pairs;
