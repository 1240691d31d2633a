"""Centers: their kinds, directions and partner centers, and the migration that brought them."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.core import db
from kiosk.core.db import migrator
from kiosk.places import centers


def test_the_demo_job_bus_sends_its_referrals_to_the_suwon_city_center(conn):
    bus = centers.by_name(conn, "경기 일자리버스")
    assert centers.partner(conn, bus["id"])["name"] == "수원시 일자리센터"
    booth = centers.by_name(conn, "수원역 일자리센터 상담부스")
    assert "2층" in booth["directions"] and "출구" in booth["directions"]
    assert centers.partner(conn, booth["id"]) is None  # it has counselors of its own


def test_a_partner_is_another_existing_center(conn):
    bus = centers.by_name(conn, "경기 일자리버스")["id"]
    with pytest.raises(ValueError):
        centers.set_partner(conn, bus, bus)
    with pytest.raises(ValueError):
        centers.set_partner(conn, bus, 999999)
    assert centers.partner(conn, bus)["name"] == "수원시 일자리센터"
    centers.set_partner(conn, bus, None)
    assert centers.partner(conn, bus) is None


def test_a_center_may_be_a_community_center_and_nothing_unknown(conn):
    centers.add_many(conn, [("주엽1동 행정복지센터", "community", "41280", "일산서구 주엽로 1", "031-8075-1000")])
    assert centers.by_name(conn, "주엽1동 행정복지센터")["kind"] == "community"
    with pytest.raises(db.IntegrityError):
        centers.add_many(conn, [("어딘가", "castle", "41280", "주소", "031-000-0000")])


def test_migrating_an_installed_database_keeps_its_centers_hours_and_counselors(tmp_path):
    path = str(tmp_path / "old.sqlite3")
    conn = db.connect(path)
    db.migrate(conn, upto=14)
    conn.execute("INSERT INTO centers (id, name, kind, region, address, phone) VALUES"
                 " (1, '수원시 일자리센터', 'center', '41110', '효원로 241', '031-228-2000')")
    conn.execute("INSERT INTO center_hours (center_id, weekday, opens, closes) VALUES (1, 0, '09:00', '18:00')")
    conn.execute("INSERT INTO counselors (name, phone, center_id, created_at)"
                 " VALUES ('김민지', '+821055500001', 1, '2026-11-23T01:00:00Z')")
    before = conn.execute("SELECT n FROM content_version").fetchone()[0]
    assert "0016_places" in db.migrate(conn)
    rows = conn.execute("SELECT name, kind, slot_minutes, directions, partner_center_id FROM centers")
    assert [tuple(r) for r in rows] == [("수원시 일자리센터", "center", 30, "", None)]
    assert conn.execute("SELECT count(*) FROM center_hours").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM counselors").fetchone()[0] == 1
    centers.set_directions(conn, 1, "1층 로비")  # the content triggers came back with the table
    assert conn.execute("SELECT n FROM content_version").fetchone()[0] > before
    with pytest.raises(db.IntegrityError):  # and foreign keys are on again
        conn.execute("INSERT INTO center_hours (center_id, weekday, opens, closes) VALUES (9, 0, '09:00', '18:00')")
    conn.close()


@pytest.mark.sqlite_only
def test_a_sqlite_table_rebuild_that_leaves_rows_pointing_nowhere_changes_nothing(tmp_path):
    conn = sqlite3.connect(str(tmp_path / "rebuild.sqlite3"), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    files = [(1, "tables", "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                           " CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));"
                           " INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1);"),
             (2, "lossy", f"{migrator.REBUILDS_TABLES}\nCREATE TABLE parent_new (id INTEGER PRIMARY KEY);"
                          " DROP TABLE parent; ALTER TABLE parent_new RENAME TO parent;")]
    with pytest.raises(sqlite3.IntegrityError):
        migrator._migrate_sqlite(conn, files)
    assert conn.execute("SELECT id FROM parent").fetchall() == [(1,)]  # rolled back
    assert conn.execute("SELECT version FROM schema_migrations").fetchall() == [(1,)]
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
