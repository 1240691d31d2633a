-- Counseling booked aboard the job bus: the appointment is held at the stop, not at the
-- center, and is credited to the run.

-- Where the appointment is held when it is not at its center: the stop's place and address.
ALTER TABLE appointments ADD COLUMN place TEXT;
-- The run it was booked on (and is held at), for the run's figures.
ALTER TABLE appointments ADD COLUMN bus_run_id INTEGER REFERENCES bus_runs (id);
CREATE INDEX appointments_by_run ON appointments (bus_run_id) WHERE bus_run_id IS NOT NULL;
