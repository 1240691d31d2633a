-- PostgreSQL's form of the end of 0016_places.sql: the kind's CHECK replaced in place.
ALTER TABLE centers DROP CONSTRAINT centers_kind_check;
ALTER TABLE centers ADD CONSTRAINT centers_kind_check
    CHECK (kind IN ('center', 'booth', 'community', 'bus'));
