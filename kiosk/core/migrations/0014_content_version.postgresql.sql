-- PostgreSQL's form of 0014_content_version.sqlite.sql: one count per statement, not per row.
CREATE TABLE content_version (
    id  SMALLINT PRIMARY KEY CHECK (id = 1),
    n   BIGINT NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);

CREATE FUNCTION content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE content_version SET n = n + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER openings_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON openings
FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
CREATE TRIGGER opening_search_text_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON opening_search_text
FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
CREATE TRIGGER kiosks_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kiosks
FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
CREATE TRIGGER centers_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON centers
FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
CREATE TRIGGER center_hours_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON center_hours
FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
CREATE TRIGGER counselors_content AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON counselors
FOR EACH STATEMENT EXECUTE FUNCTION content_changed();
