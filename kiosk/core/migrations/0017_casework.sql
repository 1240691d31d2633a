-- Casework: after an appointment's end its counselor is asked once to record the outcome.
-- The primary key is the once rule: a second prompt for the same appointment (at the same
-- time: a move makes a new version) cannot be written, whoever tries.
CREATE TABLE outcome_prompts (
    appointment_id INTEGER NOT NULL REFERENCES appointments (id),
    version        INTEGER NOT NULL,
    counselor_id   INTEGER NOT NULL REFERENCES counselors (id),
    asked_at       TEXT NOT NULL,
    PRIMARY KEY (appointment_id, version)
);

-- What the prompt job and the console's "past without an outcome" list read: open
-- appointments by their time, with their counselor and center.
CREATE INDEX appointments_waiting_outcome ON appointments (starts_at, counselor_id, center_id)
    WHERE outcome IS NULL AND status IN ('booked', 'confirmed');
