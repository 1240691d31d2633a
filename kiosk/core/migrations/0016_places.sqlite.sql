-- SQLite's form of the end of 0016_places.sql: a CHECK cannot be altered, so the table is
-- built anew and filled (the migrator turns foreign keys off around this file and checks
-- them all before it commits). Dropping the table drops its triggers: they come back below.
-- Rebuilds tables
CREATE TABLE centers_rebuilt (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL CHECK (kind IN ('center', 'booth', 'community', 'bus')),
    region             TEXT NOT NULL,
    address            TEXT NOT NULL,
    phone              TEXT NOT NULL,
    slot_minutes       INTEGER NOT NULL DEFAULT 30
        CHECK (slot_minutes BETWEEN 10 AND 240),
    directions         TEXT NOT NULL DEFAULT '',
    partner_center_id  INTEGER REFERENCES centers (id)
);
INSERT INTO centers_rebuilt (id, name, kind, region, address, phone, slot_minutes, directions,
                             partner_center_id)
SELECT id, name, kind, region, address, phone, slot_minutes, directions, partner_center_id FROM centers;
DROP TABLE centers;
ALTER TABLE centers_rebuilt RENAME TO centers;
CREATE TRIGGER centers_insert_content AFTER INSERT ON centers BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER centers_update_content AFTER UPDATE ON centers BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER centers_delete_content AFTER DELETE ON centers BEGIN UPDATE content_version SET n = n + 1; END;
