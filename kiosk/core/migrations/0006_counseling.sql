-- Counseling: centers' hours and shifts, counselors, appointments, consent asked by text,
-- satisfaction answers, and which counselor a kiosk referral request went to.
-- Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ'; opening hours are 'HH:MM' in the center's zone.

-- How long one counseling slot is at a center.
ALTER TABLE centers ADD COLUMN slot_minutes INTEGER NOT NULL DEFAULT 30
    CHECK (slot_minutes BETWEEN 10 AND 240);

-- A center's shifts per weekday (0 = Monday). A center is open while any shift runs;
-- a counselor works the shift with their number.
CREATE TABLE center_hours (
    center_id   INTEGER NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    shift       INTEGER NOT NULL DEFAULT 1 CHECK (shift BETWEEN 1 AND 9),
    opens       TEXT NOT NULL CHECK (opens GLOB '[0-2][0-9]:[0-5][0-9]'),
    closes      TEXT NOT NULL CHECK (closes GLOB '[0-2][0-9]:[0-5][0-9]'),
    PRIMARY KEY (center_id, weekday, shift),
    CHECK (opens < closes)
);

CREATE TABLE counselors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL UNIQUE,           -- E.164: commands are accepted from it only
    center_id   INTEGER NOT NULL REFERENCES centers (id),
    shift       INTEGER NOT NULL DEFAULT 1 CHECK (shift BETWEEN 1 AND 9),
    language    TEXT NOT NULL DEFAULT 'ko',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL
);
CREATE INDEX counselors_by_center ON counselors (center_id, active, shift);

CREATE TABLE appointments (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('follow_up', 'counseling', 'interview')),
    center_id    INTEGER NOT NULL REFERENCES centers (id),
    counselor_id INTEGER REFERENCES counselors (id),
    seeker_id    INTEGER REFERENCES seekers (id),  -- NULL while the person has not agreed yet
    referral_id  INTEGER REFERENCES referral_requests (id),
    starts_at    TEXT NOT NULL,
    -- The counselor's slot this takes (NULL: it takes none, e.g. an interview alone).
    slot_start   TEXT,
    accompanied  INTEGER NOT NULL DEFAULT 0 CHECK (accompanied IN (0, 1)),
    employer     TEXT,
    memo         TEXT,
    status       TEXT NOT NULL CHECK (status IN ('booked', 'pending_consent', 'confirmed', 'cancelled',
                                                 'attended', 'no_show')),
    outcome      TEXT CHECK (outcome IN ('hired', 'not_hired', 'no_show')),
    version      INTEGER NOT NULL DEFAULT 1,     -- moves count up; reminder keys carry it
    booked_via   TEXT NOT NULL CHECK (booked_via IN ('kiosk', 'sms', 'console')),
    kiosk_code   TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    outcome_at   TEXT
);
-- A counselor sits with one person per slot: the constraint, not a prior check, decides
-- which of two simultaneous bookings of the last place wins.
CREATE UNIQUE INDEX appointments_one_per_slot ON appointments (counselor_id, slot_start)
    WHERE slot_start IS NOT NULL AND status IN ('booked', 'pending_consent', 'confirmed');
-- Nobody is in two places at once: the same person at the same time is the same booking
-- (a double tap on the kiosk books once).
CREATE UNIQUE INDEX appointments_seeker_time ON appointments (seeker_id, starts_at)
    WHERE seeker_id IS NOT NULL AND status IN ('booked', 'pending_consent', 'confirmed');
CREATE INDEX appointments_by_center_time ON appointments (center_id, starts_at);
CREATE INDEX appointments_by_counselor_time ON appointments (counselor_id, starts_at);
CREATE INDEX appointments_by_seeker ON appointments (seeker_id, starts_at);
CREATE INDEX appointments_by_outcome ON appointments (outcome, outcome_at);

-- A counselor booked someone who is not a registered seeker: the number waits here,
-- and the appointment waits, until the person replies 1 (or the appointment is cancelled).
CREATE TABLE appointment_consents (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments (id),
    phone          TEXT,                        -- E.164; NULL once answered or dropped
    asked_at       TEXT NOT NULL,
    answered_at    TEXT,
    granted        INTEGER CHECK (granted IN (0, 1))
);

-- "How satisfied were you (1-5)?" asked once after an attended appointment.
CREATE TABLE satisfaction_answers (
    appointment_id INTEGER PRIMARY KEY REFERENCES appointments (id),
    seeker_id      INTEGER REFERENCES seekers (id),
    center_id      INTEGER NOT NULL REFERENCES centers (id),
    score          INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    answered_at    TEXT NOT NULL
);
CREATE INDEX satisfaction_by_center ON satisfaction_answers (center_id, answered_at);

-- Which counselor a kiosk referral request was sent to, and when.
ALTER TABLE referral_requests ADD COLUMN counselor_id INTEGER REFERENCES counselors (id);
ALTER TABLE referral_requests ADD COLUMN assigned_at TEXT;
CREATE INDEX referral_requests_by_counselor ON referral_requests (counselor_id, assigned_at);

-- What the outcome statistics read by period (kiosk.stats): registrations, hires, visits, requests.
-- (covering: the period's rows are counted from the index alone)
CREATE INDEX seekers_by_registration ON seekers (registered_at, center_id, kiosk_code);
CREATE INDEX seekers_by_employment ON seekers (employed_at, center_id, kiosk_code, age_band, employed_occupation);
CREATE INDEX seekers_by_center_employment ON seekers (center_id, employed_at);
CREATE INDEX appointments_by_status_time ON appointments (status, starts_at, kind, center_id, seeker_id);
CREATE INDEX referral_requests_by_created ON referral_requests (created_at);
