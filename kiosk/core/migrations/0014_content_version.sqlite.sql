-- The content version: a counter that every change to what the kiosk's caches show counts up
-- (openings and their search text, kiosks, centers, their hours and counselors), on every
-- engine and machine alike (kiosk.core.db.data_version). Sessions, usage events, the outbox
-- and the scheduler's own tables leave it alone, so their writes keep the caches.
CREATE TABLE content_version (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);
CREATE TRIGGER openings_insert_content AFTER INSERT ON openings BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER openings_update_content AFTER UPDATE ON openings BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER openings_delete_content AFTER DELETE ON openings BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER opening_search_text_insert_content AFTER INSERT ON opening_search_text BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER opening_search_text_update_content AFTER UPDATE ON opening_search_text BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER opening_search_text_delete_content AFTER DELETE ON opening_search_text BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER kiosks_insert_content AFTER INSERT ON kiosks BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER kiosks_update_content AFTER UPDATE ON kiosks BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER kiosks_delete_content AFTER DELETE ON kiosks BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER centers_insert_content AFTER INSERT ON centers BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER centers_update_content AFTER UPDATE ON centers BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER centers_delete_content AFTER DELETE ON centers BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER center_hours_insert_content AFTER INSERT ON center_hours BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER center_hours_update_content AFTER UPDATE ON center_hours BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER center_hours_delete_content AFTER DELETE ON center_hours BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER counselors_insert_content AFTER INSERT ON counselors BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER counselors_update_content AFTER UPDATE ON counselors BEGIN UPDATE content_version SET n = n + 1; END;
CREATE TRIGGER counselors_delete_content AFTER DELETE ON counselors BEGIN UPDATE content_version SET n = n + 1; END;
