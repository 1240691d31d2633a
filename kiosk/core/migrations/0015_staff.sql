-- The staff console: accounts with roles, the links that set a password, sign-in lockouts
-- and access records. Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ'.

-- A person who signs in to /console/. An admin sees every center (center_id NULL); center
-- staff and counselors belong to one center; a counselor account is the counselor whose
-- texts are commands. Accounts are deactivated, never deleted: access records name them.
CREATE TABLE staff_accounts (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    email          TEXT NOT NULL UNIQUE,           -- lower case
    role           TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'counselor')),
    center_id      INTEGER REFERENCES centers (id),
    counselor_id   INTEGER UNIQUE REFERENCES counselors (id),
    password_hash  TEXT,                           -- Argon2; NULL until the person sets one
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL,
    last_sign_in   TEXT,
    CHECK (role = 'admin' OR center_id IS NOT NULL),
    CHECK (role <> 'counselor' OR counselor_id IS NOT NULL)
);

-- A one-time link to set a password: only a hash of its token is kept; used once, or never
-- after it expires. A newer link for the same account ends the older ones.
CREATE TABLE staff_password_links (
    token_hash  TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES staff_accounts (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX staff_password_links_by_account ON staff_password_links (account_id);

-- Wrong passwords per email typed (an account or not, so the answer never tells which):
-- five in a row lock that email out until locked_until.
CREATE TABLE staff_lockouts (
    email         TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    updated_at    TEXT NOT NULL
);

-- Who did what with whom, when and from where (개인정보의 안전성 확보조치 기준): sign-ins,
-- failed sign-ins, and every view, export or change of a seeker's personal data. Kept at
-- least two years; seeker_id is no foreign key, so a record outlives the seeker's row.
CREATE TABLE access_records (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    account_id  INTEGER REFERENCES staff_accounts (id),
    email       TEXT NOT NULL,                     -- the account's, or what a failed sign-in typed
    address     TEXT NOT NULL,
    action      TEXT NOT NULL,
    what        TEXT NOT NULL,
    seeker_id   INTEGER,
    reason      TEXT
);
CREATE INDEX access_records_by_time ON access_records (at);
CREATE INDEX access_records_by_account ON access_records (account_id, at);
CREATE INDEX access_records_by_seeker ON access_records (seeker_id, at);
