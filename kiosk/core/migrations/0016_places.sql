-- Places run from the staff console: centers gain a "where to find us" line and a partner
-- center, their kind a community center (주민센터); kiosks gain enrolled devices and the
-- one-time codes that enrol them.

-- Directions a visitor reads on the kiosk's home ("2층 맞이방, 1번 출구 옆").
ALTER TABLE centers ADD COLUMN directions TEXT NOT NULL DEFAULT '';
-- Where a place with no counselors of its own (the job bus, a bus stop booth) sends its
-- referrals and bookings.
ALTER TABLE centers ADD COLUMN partner_center_id INTEGER REFERENCES centers (id);

-- A browser enrolled as a kiosk: its credential (a signed cookie) names this row; a disabled
-- row's next request is refused. last_seen_at is written at most once a minute.
CREATE TABLE kiosk_devices (
    id            INTEGER PRIMARY KEY,
    kiosk_code    TEXT NOT NULL REFERENCES kiosks (code),
    enrolled_at   TEXT NOT NULL,
    enrolled_how  TEXT NOT NULL CHECK (enrolled_how IN ('code', 'automatic')),
    last_seen_at  TEXT,
    disabled_at   TEXT
);
CREATE INDEX kiosk_devices_by_kiosk ON kiosk_devices (kiosk_code, disabled_at);

-- A one-time enrolment code staff make for a kiosk; only its keyed fingerprint is kept.
CREATE TABLE kiosk_enrolment_codes (
    id           INTEGER PRIMARY KEY,
    fingerprint  TEXT NOT NULL UNIQUE,
    kiosk_code   TEXT NOT NULL REFERENCES kiosks (code),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    device_id    INTEGER REFERENCES kiosk_devices (id)
);
CREATE INDEX kiosk_enrolment_codes_by_kiosk ON kiosk_enrolment_codes (kiosk_code, created_at);

-- Each engine's own from here: a center's kind may now be a community center ('community'),
-- which changes a CHECK constraint.
