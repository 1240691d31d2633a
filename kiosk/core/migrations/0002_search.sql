-- Finding open openings fast: a bigram search index and counts of open openings.
--
-- Korean keyword search. SQLite's FTS5 trigram tokenizer cannot find two-character words
-- (경비, 용접) and unicode61 prefix queries miss words inside compounds (요양보호사 in
-- 방문요양보호사), so kiosk/search.py writes each opening's normalized searchable text and its
-- distinct two-character pieces (bigrams); the triggers below keep one posting row per bigram
-- for every OPEN opening, keyed with its region, so a count of "경비" (in a region) is one
-- index range. Longer terms are confirmed against the stored text with instr().

CREATE TABLE opening_search_text (
    opening_id  INTEGER PRIMARY KEY REFERENCES openings (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,              -- title, employer, address, description; normalized
    grams       TEXT NOT NULL               -- JSON array of the body's distinct bigrams
);

CREATE TABLE opening_grams (
    gram        TEXT NOT NULL,
    region      TEXT NOT NULL,
    opening_id  INTEGER NOT NULL,
    PRIMARY KEY (gram, region, opening_id)
) WITHOUT ROWID;

CREATE TRIGGER opening_search_text_added AFTER INSERT ON opening_search_text BEGIN
    INSERT INTO opening_grams (gram, region, opening_id)
    SELECT j.value, o.region, o.id FROM openings o, json_each(NEW.grams) j
    WHERE o.id = NEW.opening_id AND o.status = 'open';
END;

-- An open opening's postings are exactly its old grams; move them to the new ones.
CREATE TRIGGER opening_search_text_changed AFTER UPDATE OF grams ON opening_search_text BEGIN
    DELETE FROM opening_grams
    WHERE opening_id = NEW.opening_id
      AND region = (SELECT region FROM openings WHERE id = NEW.opening_id)
      AND gram IN (SELECT value FROM json_each(OLD.grams)
                   EXCEPT SELECT value FROM json_each(NEW.grams));
    INSERT INTO opening_grams (gram, region, opening_id)
    SELECT j.value, o.region, o.id FROM openings o, json_each(NEW.grams) j
    WHERE o.id = NEW.opening_id AND o.status = 'open'
      AND j.value NOT IN (SELECT value FROM json_each(OLD.grams));
END;

-- Closing, re-opening or moving an opening takes its postings out and puts them back.
CREATE TRIGGER opening_postings_moved AFTER UPDATE OF status, region ON openings
WHEN OLD.status IS NOT NEW.status OR OLD.region IS NOT NEW.region BEGIN
    DELETE FROM opening_grams
    WHERE opening_id = OLD.id AND region = OLD.region
      AND gram IN (SELECT value FROM json_each(
          (SELECT grams FROM opening_search_text WHERE opening_id = OLD.id)));
    INSERT INTO opening_grams (gram, region, opening_id)
    SELECT j.value, NEW.region, NEW.id
    FROM opening_search_text s, json_each(s.grams) j
    WHERE s.opening_id = NEW.id AND NEW.status = 'open';
END;

CREATE TRIGGER opening_postings_deleted BEFORE DELETE ON openings BEGIN
    DELETE FROM opening_grams
    WHERE opening_id = OLD.id AND region = OLD.region
      AND gram IN (SELECT value FROM json_each(
          (SELECT grams FROM opening_search_text WHERE opening_id = OLD.id)));
END;

-- How many open openings each (occupation, employment type, wage band) has, per region and
-- for all regions (region ''), so the list's total sums a few hundred rows instead of walking
-- 100,000. wage_band is the highest of the kiosk's minimum-wage choices the hourly wage
-- reaches (open_count_wage_bands = kiosk.openings.WAGE_BANDS, and 0).
CREATE TABLE open_opening_counts (
    region          TEXT NOT NULL,
    occupation      TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    wage_band       INTEGER NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (region, occupation, employment_type, wage_band)
) WITHOUT ROWID;

CREATE VIEW open_count_wage_bands (min_wage) AS
    VALUES (0), (11000), (12000), (13000), (15000);

CREATE TRIGGER open_counts_added AFTER INSERT ON openings WHEN NEW.status = 'open' BEGIN
    INSERT INTO open_opening_counts (region, occupation, employment_type, wage_band, n)
    SELECT r.v, NEW.occupation, NEW.employment_type,
           (SELECT max(min_wage) FROM open_count_wage_bands WHERE min_wage <= NEW.hourly_wage), 1
    FROM (SELECT NEW.region AS v UNION ALL SELECT '') r WHERE true
    ON CONFLICT (region, occupation, employment_type, wage_band) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER open_counts_removed AFTER DELETE ON openings WHEN OLD.status = 'open' BEGIN
    UPDATE open_opening_counts SET n = n - 1
    WHERE region IN (OLD.region, '') AND occupation = OLD.occupation
      AND employment_type = OLD.employment_type
      AND wage_band = (SELECT max(min_wage) FROM open_count_wage_bands
                       WHERE min_wage <= OLD.hourly_wage);
END;

CREATE TRIGGER open_counts_changed
AFTER UPDATE OF status, region, occupation, employment_type, hourly_wage ON openings BEGIN
    UPDATE open_opening_counts SET n = n - 1
    WHERE OLD.status = 'open' AND region IN (OLD.region, '') AND occupation = OLD.occupation
      AND employment_type = OLD.employment_type
      AND wage_band = (SELECT max(min_wage) FROM open_count_wage_bands
                       WHERE min_wage <= OLD.hourly_wage);
    INSERT INTO open_opening_counts (region, occupation, employment_type, wage_band, n)
    SELECT r.v, NEW.occupation, NEW.employment_type,
           (SELECT max(min_wage) FROM open_count_wage_bands WHERE min_wage <= NEW.hourly_wage), 1
    FROM (SELECT NEW.region AS v UNION ALL SELECT '') r WHERE NEW.status = 'open'
    ON CONFLICT (region, occupation, employment_type, wage_band) DO UPDATE SET n = n + 1;
END;

-- The list's orders: newest first, and closing soon (no deadline last).
CREATE INDEX openings_open_closing ON openings (status, coalesce(deadline, '9999-12-31'), posted_on);
CREATE INDEX openings_open_region_closing
    ON openings (status, region, coalesce(deadline, '9999-12-31'), posted_on);
