-- PostgreSQL's form of 0002_search.sql (same tables, views and indexes; the triggers in
-- PL/pgSQL, the JSON gram lists read with jsonb_array_elements_text). See that file for why.

CREATE TABLE opening_search_text (
    opening_id  BIGINT PRIMARY KEY REFERENCES openings (id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    grams       TEXT NOT NULL
);

CREATE TABLE opening_grams (
    gram        TEXT NOT NULL,
    region      TEXT NOT NULL,
    opening_id  BIGINT NOT NULL,
    PRIMARY KEY (gram, region, opening_id)
);

CREATE FUNCTION opening_search_text_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO opening_grams (gram, region, opening_id)
    SELECT j.value, o.region, o.id FROM openings o, jsonb_array_elements_text(NEW.grams::jsonb) j
    WHERE o.id = NEW.opening_id AND o.status = 'open';
    RETURN NULL;
END $$;
CREATE TRIGGER opening_search_text_added AFTER INSERT ON opening_search_text
FOR EACH ROW EXECUTE FUNCTION opening_search_text_added();

CREATE FUNCTION opening_search_text_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM opening_grams
    WHERE opening_id = NEW.opening_id
      AND region = (SELECT region FROM openings WHERE id = NEW.opening_id)
      AND gram IN (SELECT value FROM jsonb_array_elements_text(OLD.grams::jsonb)
                   EXCEPT SELECT value FROM jsonb_array_elements_text(NEW.grams::jsonb));
    INSERT INTO opening_grams (gram, region, opening_id)
    SELECT j.value, o.region, o.id FROM openings o, jsonb_array_elements_text(NEW.grams::jsonb) j
    WHERE o.id = NEW.opening_id AND o.status = 'open'
      AND j.value NOT IN (SELECT value FROM jsonb_array_elements_text(OLD.grams::jsonb));
    RETURN NULL;
END $$;
CREATE TRIGGER opening_search_text_changed AFTER UPDATE OF grams ON opening_search_text
FOR EACH ROW EXECUTE FUNCTION opening_search_text_changed();

CREATE FUNCTION opening_postings_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM opening_grams
    WHERE opening_id = OLD.id AND region = OLD.region
      AND gram IN (SELECT value FROM jsonb_array_elements_text(
          (SELECT grams FROM opening_search_text WHERE opening_id = OLD.id)::jsonb));
    INSERT INTO opening_grams (gram, region, opening_id)
    SELECT j.value, NEW.region, NEW.id
    FROM opening_search_text s, jsonb_array_elements_text(s.grams::jsonb) j
    WHERE s.opening_id = NEW.id AND NEW.status = 'open';
    RETURN NULL;
END $$;
CREATE TRIGGER opening_postings_moved AFTER UPDATE OF status, region ON openings
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.region IS DISTINCT FROM NEW.region)
EXECUTE FUNCTION opening_postings_moved();

CREATE FUNCTION opening_postings_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM opening_grams
    WHERE opening_id = OLD.id AND region = OLD.region
      AND gram IN (SELECT value FROM jsonb_array_elements_text(
          (SELECT grams FROM opening_search_text WHERE opening_id = OLD.id)::jsonb));
    RETURN OLD;
END $$;
CREATE TRIGGER opening_postings_deleted BEFORE DELETE ON openings
FOR EACH ROW EXECUTE FUNCTION opening_postings_deleted();

CREATE TABLE open_opening_counts (
    region          TEXT NOT NULL,
    occupation      TEXT NOT NULL,
    employment_type TEXT NOT NULL,
    wage_band       BIGINT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (region, occupation, employment_type, wage_band)
);

CREATE VIEW open_count_wage_bands (min_wage) AS
    VALUES (0), (11000), (12000), (13000), (15000);

CREATE FUNCTION open_count_band(wage BIGINT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT max(min_wage) FROM open_count_wage_bands WHERE min_wage <= wage
$$;

CREATE FUNCTION open_counts_add(o openings) RETURNS void LANGUAGE sql AS $$
    INSERT INTO open_opening_counts AS c (region, occupation, employment_type, wage_band, n)
    SELECT r.v, o.occupation, o.employment_type, open_count_band(o.hourly_wage), 1
    FROM (SELECT o.region AS v UNION ALL SELECT '') r
    ON CONFLICT (region, occupation, employment_type, wage_band) DO UPDATE SET n = c.n + 1
$$;

CREATE FUNCTION open_counts_remove(o openings) RETURNS void LANGUAGE sql AS $$
    UPDATE open_opening_counts SET n = n - 1
    WHERE region IN (o.region, '') AND occupation = o.occupation
      AND employment_type = o.employment_type AND wage_band = open_count_band(o.hourly_wage)
$$;

CREATE FUNCTION open_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM open_counts_add(NEW);
    RETURN NULL;
END $$;
CREATE TRIGGER open_counts_added AFTER INSERT ON openings
FOR EACH ROW WHEN (NEW.status = 'open') EXECUTE FUNCTION open_counts_added();

CREATE FUNCTION open_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM open_counts_remove(OLD);
    RETURN NULL;
END $$;
CREATE TRIGGER open_counts_removed AFTER DELETE ON openings
FOR EACH ROW WHEN (OLD.status = 'open') EXECUTE FUNCTION open_counts_removed();

CREATE FUNCTION open_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'open' THEN
        PERFORM open_counts_remove(OLD);
    END IF;
    IF NEW.status = 'open' THEN
        PERFORM open_counts_add(NEW);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER open_counts_changed
AFTER UPDATE OF status, region, occupation, employment_type, hourly_wage ON openings
FOR EACH ROW EXECUTE FUNCTION open_counts_changed();

CREATE INDEX openings_open_closing ON openings (status, (coalesce(deadline, '9999-12-31')), posted_on);
CREATE INDEX openings_open_region_closing
    ON openings (status, region, (coalesce(deadline, '9999-12-31')), posted_on);
