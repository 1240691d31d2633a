-- What the published figures need: programs as a list, a seeker's programs (kept for the
-- statistics), consultations with their kind and channel, placement referrals to employers,
-- and screen views summed per kiosk and day.

-- The programs seekers can belong to, in the order the kiosk offers them; labels come from
-- the catalog (register.program.<code>). A program turned off is no longer offered.
CREATE TABLE programs (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO programs (code, position) VALUES
    ('youth', 1), ('senior', 2), ('career_break', 3), ('multicultural', 4), ('breadwinner', 5),
    ('disability', 6);

-- Which programs a seeker is in: chosen at registration or set by staff. Kept when the person
-- is anonymized, like the age band, so hires by program stay countable.
CREATE TABLE seeker_programs (
    seeker_id   INTEGER NOT NULL REFERENCES seekers (id),
    program     TEXT NOT NULL REFERENCES programs (code),
    set_by      TEXT NOT NULL CHECK (set_by IN ('seeker', 'staff')),
    at          TEXT NOT NULL,
    PRIMARY KEY (seeker_id, program)
);
CREATE INDEX seeker_programs_by_program ON seeker_programs (program, seeker_id);

-- Programs were a preference until now: they move here.
INSERT INTO seeker_programs (seeker_id, program, set_by, at)
SELECT p.seeker_id, p.value, 'seeker', s.registered_at
FROM seeker_prefs p JOIN seekers s ON s.id = p.seeker_id JOIN programs g ON g.code = p.value
WHERE p.kind = 'program';
DELETE FROM seeker_prefs WHERE kind = 'program';

-- One counseling conversation: its kind (looking for a job, or starting a business) and how
-- it took place. An attended counseling appointment is one (appointment_id set).
CREATE TABLE consultations (
    id              INTEGER PRIMARY KEY,
    seeker_id       INTEGER REFERENCES seekers (id),
    center_id       INTEGER NOT NULL REFERENCES centers (id),
    counselor_id    INTEGER REFERENCES counselors (id),
    appointment_id  INTEGER UNIQUE REFERENCES appointments (id),
    topic           TEXT NOT NULL CHECK (topic IN ('job_seeking', 'business')),
    channel         TEXT NOT NULL CHECK (channel IN ('visit', 'phone', 'text', 'kiosk')),
    at              TEXT NOT NULL
);
CREATE INDEX consultations_by_time ON consultations (at, center_id, topic, channel, counselor_id);
CREATE INDEX consultations_by_seeker ON consultations (seeker_id, at);

-- Attended counseling before now: each was a visit about finding a job.
INSERT INTO consultations (seeker_id, center_id, counselor_id, appointment_id, topic, channel, at)
SELECT seeker_id, center_id, counselor_id, id, 'job_seeking', 'visit', starts_at
FROM appointments WHERE status = 'attended' AND kind IN ('counseling', 'follow_up');

-- A placement referral (알선): a counselor sent a seeker to an employer.
CREATE TABLE placements (
    id              INTEGER PRIMARY KEY,
    seeker_id       INTEGER REFERENCES seekers (id),
    center_id       INTEGER NOT NULL REFERENCES centers (id),
    counselor_id    INTEGER REFERENCES counselors (id),
    appointment_id  INTEGER REFERENCES appointments (id),
    employer        TEXT NOT NULL,
    occupation      TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX placements_by_time ON placements (at, center_id, counselor_id);
CREATE INDEX placements_by_seeker ON placements (seeker_id, at);

-- Screen views per kiosk, screen and day (in the center's zone), summed from usage_events
-- before those are purged (after 90 days).
CREATE TABLE usage_daily (
    day         TEXT NOT NULL,
    kiosk_code  TEXT NOT NULL,
    screen      TEXT NOT NULL,
    views       INTEGER NOT NULL,
    PRIMARY KEY (day, kiosk_code, screen)
);

-- The period's registrations counted from the index alone, by the age band too.
CREATE INDEX seekers_by_registration_band ON seekers (registered_at, center_id, kiosk_code, age_band);

-- Seekers not hired (yet) by registration day: the occupations they want are counted from here.
CREATE INDEX seekers_waiting ON seekers (employed_at, registered_at, center_id, kiosk_code);
