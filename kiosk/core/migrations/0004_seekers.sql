-- Job seekers registered at a kiosk, their preferences, the consent ledger, phone codes,
-- saved openings and placement-referral requests.
-- A seeker row is never deleted: withdrawal or retention anonymizes it (phone, name and
-- birth year become NULL, preferences and saved openings go) and keeps what the statistics
-- need (age band, kiosk, center, dates, employment outcome).

CREATE TABLE seekers (
    id                  INTEGER PRIMARY KEY,
    phone               TEXT UNIQUE,                -- E.164; NULL once anonymized
    name                TEXT,                       -- optional; NULL once anonymized
    birth_year          INTEGER,                    -- NULL once anonymized
    age_band            TEXT CHECK (age_band IN ('29', '30_39', '40_54', '55')),
    language            TEXT NOT NULL DEFAULT 'ko',
    alert_frequency     TEXT NOT NULL DEFAULT 'daily'
                        CHECK (alert_frequency IN ('instant', 'daily', 'weekly', 'off')),
    alerts_consent      INTEGER NOT NULL DEFAULT 0 CHECK (alerts_consent IN (0, 1)),
    night_consent       INTEGER NOT NULL DEFAULT 0 CHECK (night_consent IN (0, 1)),
    alerts_paused       INTEGER NOT NULL DEFAULT 0 CHECK (alerts_paused IN (0, 1)),
    min_hourly_wage     INTEGER NOT NULL DEFAULT 0 CHECK (min_hourly_wage >= 0),
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    kiosk_code          TEXT,                       -- where they registered (kept)
    center_id           INTEGER REFERENCES centers (id),
    registered_at       TEXT NOT NULL,
    last_active_at      TEXT NOT NULL,
    withdrawn_at        TEXT,
    withdrawn_reason    TEXT,                       -- 'withdrawal' (by the person) or 'retention'
    employed_at         TEXT,                       -- set by a recorded hire (kept)
    employed_occupation TEXT,
    employed_employer   TEXT
);
CREATE INDEX seekers_by_activity ON seekers (status, last_active_at);
CREATE INDEX seekers_by_center ON seekers (center_id, registered_at);

-- What a seeker wants; no row of a kind means "any".
CREATE TABLE seeker_prefs (
    seeker_id   INTEGER NOT NULL REFERENCES seekers (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('occupation', 'region', 'employment_type', 'program')),
    value       TEXT NOT NULL,
    PRIMARY KEY (seeker_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX seeker_prefs_by_value ON seeker_prefs (kind, value, seeker_id);

-- The consent ledger: every answer to every notice, and every withdrawal, append-only.
-- subject is a keyed fingerprint of the phone number (kiosk.phones.fingerprint with the
-- app's SECRET_KEY), so the ledger proves consent after the number itself is erased.
CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    seeker_id       INTEGER REFERENCES seekers (id),   -- NULL for a one-off message
    subject         TEXT NOT NULL,
    kind            TEXT NOT NULL
                    CHECK (kind IN ('personal_data', 'sms_alerts', 'night_alerts', 'single_message')),
    notice_version  TEXT NOT NULL,
    granted         INTEGER NOT NULL CHECK (granted IN (0, 1)),
    context         TEXT NOT NULL DEFAULT 'kiosk',     -- kiosk, mypage, withdrawal, retention, sms
    kiosk_code      TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX consents_by_seeker ON consents (seeker_id, kind, at);
CREATE INDEX consents_by_subject ON consents (subject, at);

-- One-time codes sent to a phone. Only a keyed hash of the code is stored, and the number
-- only as its fingerprint; rows older than an hour are purged (they count toward limits).
CREATE TABLE phone_codes (
    id          INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL,              -- fingerprint of the phone number
    code_hash   TEXT NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('register', 'login', 'send', 'ask', 'save')),
    kiosk_code  TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    used_at     TEXT
);
CREATE INDEX phone_codes_by_subject ON phone_codes (subject, created_at);
CREATE INDEX phone_codes_by_kiosk ON phone_codes (kiosk_code, created_at);

CREATE TABLE saved_openings (
    seeker_id   INTEGER NOT NULL REFERENCES seekers (id) ON DELETE CASCADE,
    opening_id  INTEGER NOT NULL REFERENCES openings (id) ON DELETE CASCADE,
    saved_at    TEXT NOT NULL,
    PRIMARY KEY (seeker_id, opening_id)
) WITHOUT ROWID;

-- "Ask a counselor" from a kiosk: a placement-referral request for the kiosk's center.
CREATE TABLE referral_requests (
    id          INTEGER PRIMARY KEY,
    seeker_id   INTEGER NOT NULL REFERENCES seekers (id),
    opening_id  INTEGER REFERENCES openings (id) ON DELETE SET NULL,
    kiosk_code  TEXT,
    center_id   INTEGER NOT NULL REFERENCES centers (id),
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'assigned', 'booked', 'closed')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- One open request per seeker and opening: asking twice is the same request.
CREATE UNIQUE INDEX referral_requests_open ON referral_requests (seeker_id, opening_id)
    WHERE status <> 'closed';
CREATE INDEX referral_requests_by_center ON referral_requests (center_id, status, created_at);
