-- The staff console's openings and seekers pages.
-- Instants are UTC text 'YYYY-MM-DDTHH:MM:SSZ'.

-- A CSV file of openings uploaded in the console: one row per upload, written as the import
-- goes (rows checked, rows written) so any web process can show its progress, and holding
-- the line-by-line report once it is done. The upload form's token makes a double submit
-- the same run.
CREATE TABLE import_runs (
    id            INTEGER PRIMARY KEY,
    token         TEXT NOT NULL UNIQUE,
    staff_id      INTEGER NOT NULL,            -- the staff account that uploaded it
    file_name     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'checking'
                  CHECK (status IN ('checking', 'writing', 'done', 'failed')),
    rows_read     INTEGER NOT NULL DEFAULT 0,
    rows_good     INTEGER NOT NULL DEFAULT 0,
    rows_written  INTEGER NOT NULL DEFAULT 0,
    rows_changed  INTEGER NOT NULL DEFAULT 0,
    problems      TEXT NOT NULL DEFAULT '[]',  -- JSON: [[line, column, reason, {params}], ...]
    started_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    finished_at   TEXT
);
CREATE INDEX import_runs_by_staff ON import_runs (staff_id, started_at);

-- Finding a seeker by name and the last four digits of the number.
CREATE INDEX seekers_by_name ON seekers (name);
