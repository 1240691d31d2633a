-- Centers, kiosks, openings, kiosk sessions and usage events.
-- Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ'; dates are 'YYYY-MM-DD' in the center's zone.

CREATE TABLE centers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('center', 'booth', 'bus')),
    region      TEXT NOT NULL,
    address     TEXT NOT NULL,
    phone       TEXT NOT NULL
);

CREATE TABLE kiosks (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    place_kind  TEXT NOT NULL
                CHECK (place_kind IN ('station', 'bus_stop', 'community_center', 'job_bus', 'center')),
    region      TEXT NOT NULL,
    center_id   INTEGER NOT NULL REFERENCES centers (id),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE openings (
    id              INTEGER PRIMARY KEY,
    source_ref      TEXT UNIQUE,            -- the publisher's own id; re-imports update, never duplicate
    title           TEXT NOT NULL,
    employer        TEXT NOT NULL,
    occupation      TEXT NOT NULL,          -- occupation group code (kiosk.regions.OCCUPATIONS)
    region          TEXT NOT NULL,          -- city/county/district code (kiosk.regions.REGIONS)
    address         TEXT NOT NULL,
    employment_type TEXT NOT NULL,          -- kiosk.regions.EMPLOYMENT_TYPES
    wage_kind       TEXT NOT NULL CHECK (wage_kind IN ('hourly', 'monthly')),
    wage_amount     INTEGER NOT NULL CHECK (wage_amount > 0),
    hourly_wage     INTEGER NOT NULL,       -- the wage per hour, to compare hourly and monthly pay
    work_hours      TEXT NOT NULL,
    work_days       TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    how_to_apply    TEXT NOT NULL,
    contact_phone   TEXT NOT NULL DEFAULT '',
    posted_on       TEXT NOT NULL,
    deadline        TEXT,                   -- NULL: until filled
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE INDEX openings_open_region ON openings (status, region, posted_on);
CREATE INDEX openings_open_posted ON openings (status, posted_on);
CREATE INDEX openings_open_deadline ON openings (status, deadline);
CREATE INDEX openings_updated ON openings (updated_at);

-- A kiosk visitor's server-side session; the cookie holds only the random id.
CREATE TABLE web_sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL DEFAULT '{}',
    expires_at  TEXT NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- Screen views, searches and filters; never personal data.
CREATE TABLE usage_events (
    id          INTEGER PRIMARY KEY,
    kiosk_code  TEXT,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '{}',
    at          TEXT NOT NULL
);
CREATE INDEX usage_events_kiosk_at ON usage_events (kiosk_code, at);
