-- How the matcher's two tables are stored on PostgreSQL. SQLite needs nothing
-- (0026_match_storage.sql).
--
-- The matcher seeks alert_keys' primary key eight times per opening and reads each key's
-- token: with the token in the index (INCLUDE) it reads the index alone, without a visit to
-- the table for each of the ~4,000 keys an opening matches (1,000 openings against 1M
-- seekers: 4.5 s of the statement became 2.4 s, EXPLAIN ANALYZE).
ALTER TABLE alert_keys DROP CONSTRAINT alert_keys_pkey;
ALTER TABLE alert_keys ADD PRIMARY KEY (occupation, region, employment_type, min_hourly_wage, seeker_id)
    INCLUDE (tag);

-- An opening's tokens are ~30 KB of digits and commas, written once and read back whole:
-- PostgreSQL's default compression (pglz) of those 4M tokens took about half of the
-- matcher's statement; stored out of line uncompressed, writing them costs little.
ALTER TABLE alert_matches ALTER COLUMN seekers SET STORAGE EXTERNAL;
