-- Withdrawn seekers whose leftovers retention has taken out (their match tokens, sent
-- instant alerts, counters and finished texts): forgotten_at is set once that is done, so
-- the nightly job reads only the ones still to do and never reprocesses anyone.
-- Seekers withdrawn before this migration start as still to do: the next night's single
-- pass over the stored matches takes them all out at once.
ALTER TABLE seekers ADD COLUMN forgotten_at TEXT;
CREATE INDEX seekers_to_forget ON seekers (id) WHERE status = 'withdrawn' AND forgotten_at IS NULL;
