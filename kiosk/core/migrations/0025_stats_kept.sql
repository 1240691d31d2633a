-- The statistics kept by the nightly job, so a year's dashboard adds up a few hundred rows
-- instead of going through every seeker (docs/stats.md, "Snapshots").

-- Each day's totals beside its counts: the trend and the comparison periods are added up by SQL.
-- NULL on the rows taken before: the next nightly run counts those days again.
ALTER TABLE stats_snapshots ADD COLUMN registered INTEGER;
ALTER TABLE stats_snapshots ADD COLUMN hired INTEGER;
ALTER TABLE stats_snapshots ADD COLUMN consultations INTEGER;
ALTER TABLE stats_snapshots ADD COLUMN referrals INTEGER;
ALTER TABLE stats_snapshots ADD COLUMN answers INTEGER;
ALTER TABLE stats_snapshots ADD COLUMN satisfied INTEGER;
ALTER TABLE stats_snapshots ADD COLUMN score_sum INTEGER;

-- A whole month's day counts added up, per center (0: every center), kept only while every day
-- of the month has its snapshot: a year is about twelve of these and the days around them.
CREATE TABLE stats_months (
    month       TEXT NOT NULL,
    center_id   INTEGER NOT NULL,
    data        TEXT NOT NULL,
    taken_at    TEXT NOT NULL,
    PRIMARY KEY (month, center_id)
);

-- The occupations wanted by seekers not hired as of counted_at, by registration day and center
-- (0: every center); counted again every night.
CREATE TABLE stats_waiting (
    day         TEXT NOT NULL,
    center_id   INTEGER NOT NULL,
    occupation  TEXT NOT NULL,
    seekers     INTEGER NOT NULL,
    PRIMARY KEY (center_id, day, occupation)
);

-- How far the kept counts go: the highest row id of each counted table when the snapshots were
-- last taken (rows after it are counted from the rows), and when (the waiting seekers' count too).
CREATE TABLE stats_marks (
    name        TEXT PRIMARY KEY,
    last_id     INTEGER NOT NULL,
    at          TEXT NOT NULL
);

-- Programs set after registration: the job counts again the days of the seekers they concern.
CREATE INDEX seeker_programs_by_time ON seeker_programs (at);
