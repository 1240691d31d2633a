-- Outreach: the job bus's runs, the day-before notice to seekers nearby, and how often each
-- opening's QR code was opened. Nothing here says who scanned a code.

-- How many times an opening's public page was opened from its QR code, per local day.
CREATE TABLE opening_scans (
    opening_id  INTEGER NOT NULL REFERENCES openings (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,                  -- local date, YYYY-MM-DD
    scans       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (opening_id, day)
);

-- One day of the job bus at one stop: where (place, address, city or county), when, with
-- which partner city center; `bus` is the code of the kiosk that travels aboard.
CREATE TABLE bus_runs (
    id          INTEGER PRIMARY KEY,
    bus         TEXT NOT NULL REFERENCES kiosks (code),
    day         TEXT NOT NULL,                  -- local date, YYYY-MM-DD
    starts      TEXT NOT NULL,                  -- local time, HH:MM
    ends        TEXT NOT NULL,
    place       TEXT NOT NULL,
    address     TEXT NOT NULL,
    region      TEXT NOT NULL,                  -- city or county code (kiosk.core.regions)
    center_id   INTEGER NOT NULL REFERENCES centers (id),
    status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
    created_at  TEXT NOT NULL,
    cancelled_at TEXT,
    noticed_at  TEXT,                           -- when the day-before notice to seekers nearby went out
    CHECK (starts < ends)
);
-- A bus is at one stop a day: the same run imported twice is the same run.
CREATE UNIQUE INDEX bus_runs_one_a_day ON bus_runs (bus, day) WHERE status = 'planned';
CREATE INDEX bus_runs_by_day ON bus_runs (day, status);

-- The counselors aboard a run.
CREATE TABLE bus_run_counselors (
    run_id       INTEGER NOT NULL REFERENCES bus_runs (id) ON DELETE CASCADE,
    counselor_id INTEGER NOT NULL REFERENCES counselors (id),
    PRIMARY KEY (run_id, counselor_id)
);

-- The day-before notice: at most one per seeker per week (Monday to Sunday of the day it is
-- sent) by the primary key; a week's rows in seeker order, so a run's 100,000 go in at the
-- end of the index and are read back in one range. Rows older than two weeks are dropped by
-- the notice job. No seeker's number or name: a seeker id, a week, a run.
CREATE TABLE bus_notices (
    week        TEXT NOT NULL,                  -- the Monday of the week it was sent, YYYY-MM-DD
    seeker_id   INTEGER NOT NULL,
    run_id      INTEGER NOT NULL REFERENCES bus_runs (id) ON DELETE CASCADE,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (week, seeker_id)
);

-- Registrations and referral requests made aboard are credited to the run by the bus kiosk
-- and the day (kiosk.outreach.figures).
CREATE INDEX seekers_by_kiosk ON seekers (kiosk_code, registered_at);
CREATE INDEX referral_requests_by_kiosk ON referral_requests (kiosk_code, created_at);
