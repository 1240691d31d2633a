-- What the console's casework forms record beside the texts' records: a consultation's short
-- note, a placement referral's opening and result (hired, not hired, pending) with the hire
-- date, a form's own key so the same form sent twice records one row, programs named by staff,
-- and the corrections log (an edited or cancelled consultation or referral, as it was before).

ALTER TABLE consultations ADD COLUMN note TEXT;
ALTER TABLE consultations ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX consultations_by_form ON consultations (form_key);

ALTER TABLE placements ADD COLUMN opening_id INTEGER REFERENCES openings (id);
ALTER TABLE placements ADD COLUMN result TEXT NOT NULL DEFAULT 'pending'
    CHECK (result IN ('pending', 'hired', 'not_hired'));
ALTER TABLE placements ADD COLUMN hired_on TEXT;      -- local date, YYYY-MM-DD, when hired
ALTER TABLE placements ADD COLUMN hire_at TEXT;       -- the seekers.employed_at this referral wrote, if it did
ALTER TABLE placements ADD COLUMN result_at TEXT;
ALTER TABLE placements ADD COLUMN form_key TEXT;
CREATE UNIQUE INDEX placements_by_form ON placements (form_key);

-- A program's name as staff typed it (Korean); NULL: the catalog's label (register.program.<code>).
ALTER TABLE programs ADD COLUMN name TEXT;

-- A consultation or referral corrected in the console: the row as it was (JSON), who and when.
-- A cancelled one leaves its table (the figures count what is there) and stays here.
CREATE TABLE casework_corrections (
    id          INTEGER PRIMARY KEY,
    record      TEXT NOT NULL CHECK (record IN ('consultation', 'placement')),
    record_id   INTEGER NOT NULL,
    seeker_id   INTEGER REFERENCES seekers (id),
    center_id   INTEGER NOT NULL REFERENCES centers (id),
    action      TEXT NOT NULL CHECK (action IN ('edit', 'cancel')),
    was         TEXT NOT NULL,
    account_id  INTEGER REFERENCES staff_accounts (id),
    at          TEXT NOT NULL
);
CREATE INDEX casework_corrections_by_seeker ON casework_corrections (seeker_id, at);
