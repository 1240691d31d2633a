-- A visitor asking for staff at a kiosk: the counselor on shift is texted (help_calls, at most
-- one text per kiosk in five minutes), or, with no one on shift, the visitor leaves a number
-- for a counselor to call back (callback_requests). Instants are UTC text.

CREATE TABLE help_calls (
    id            INTEGER PRIMARY KEY,
    kiosk_code    TEXT NOT NULL,
    center_id     INTEGER NOT NULL REFERENCES centers (id),
    counselor_id  INTEGER REFERENCES counselors (id),
    called_at     TEXT NOT NULL
);
CREATE INDEX help_calls_by_kiosk ON help_calls (kiosk_code, called_at);

-- The number is kept as typed (not verified by a code: nothing is ever texted to it); the
-- visitor agreed to the notice of consent_version, and the row is deleted after retention.
CREATE TABLE callback_requests (
    id               INTEGER PRIMARY KEY,
    phone            TEXT NOT NULL,
    kiosk_code       TEXT NOT NULL,
    center_id        INTEGER NOT NULL REFERENCES centers (id),
    counselor_id     INTEGER REFERENCES counselors (id),
    status           TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'assigned', 'closed')),
    consent_version  TEXT NOT NULL,
    language         TEXT NOT NULL DEFAULT 'ko',
    created_at       TEXT NOT NULL,
    assigned_at      TEXT,
    updated_at       TEXT NOT NULL
);
-- Asking again for the same number at the same center while one is open is the same request.
CREATE UNIQUE INDEX callback_requests_open ON callback_requests (center_id, phone)
    WHERE status <> 'closed';
CREATE INDEX callback_requests_by_center ON callback_requests (center_id, status, created_at);
