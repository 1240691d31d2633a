"""The app factory, configuration, database and migrations."""

from __future__ import annotations

import re
import sqlite3

import pytest
from support import postgres_admin, postgres_url

from kiosk.app import create_app
from kiosk.core import config, db


def schema(path: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))
    finally:
        conn.close()


def test_healthz_answers_when_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok\n"


def test_healthz_reports_a_missing_schema(tmp_path, clock):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "empty.sqlite3"),
                      "CLOCK": clock, "SECRET_KEY": "x"})
    assert app.test_client().get("/healthz").status_code == 503


def test_init_db_and_migrate_reach_the_same_schema(tmp_path):
    fresh = str(tmp_path / "fresh.sqlite3")
    db.init_db(fresh)
    stepwise = str(tmp_path / "old.sqlite3")
    conn = db.connect(stepwise)
    db.migrate(conn, upto=1)  # an install that only ever saw the first migration
    assert len(db.migrate(conn)) == len(db.migration_files()) - 1
    assert db.migrate(conn) == []  # a second run changes nothing
    conn.close()
    assert schema(fresh) == schema(stepwise)


@pytest.mark.sqlite_only
def test_sqlite_connections_enforce_foreign_keys_and_wal(database):
    conn = db.connect(database)
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS


def test_a_literal_percent_sign_means_the_same_with_or_without_parameters(conn):
    assert conn.execute("SELECT 7 % 3, 'a%' LIKE 'a%'").fetchone()[:] == (1, 1)
    assert conn.execute("SELECT 7 % ?, 'a%' LIKE ?", (3, "a%")).fetchone()[:] == (1, 1)


def test_a_row_pointing_nowhere_is_refused(conn):
    with pytest.raises(db.IntegrityError):
        conn.execute("INSERT INTO kiosks (code, name, place_kind, region, center_id)"
                     " VALUES ('nowhere', '어디', 'station', '41110', 999999)")
    assert conn.execute("SELECT count(*) FROM kiosks WHERE code = 'nowhere'").fetchone()[0] == 0


def postgres_schema(url: str) -> list[tuple]:
    conn = db.connect(url)
    try:
        columns = conn.execute("SELECT table_name, column_name, data_type, is_nullable, column_default"
                               " FROM information_schema.columns WHERE table_schema = 'public'").fetchall()
        indexes = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'").fetchall()
        triggers = conn.execute("SELECT trigger_name, event_object_table, event_manipulation, action_statement"
                                " FROM information_schema.triggers").fetchall()
        return sorted(map(tuple, [*columns, *indexes, *triggers]), key=repr)
    finally:
        conn.close()


def table_columns(conn) -> dict[str, set[str]]:
    """Every table's (and view's) column names, on either engine."""
    if db.engine(conn) == "sqlite":
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                                            " AND name NOT LIKE 'sqlite_%'")]
        return {n: {c[1] for c in conn.execute(f"PRAGMA table_info({n})")} for n in names}
    found: dict[str, set[str]] = {}
    for table, column in conn.execute("SELECT table_name, column_name FROM information_schema.columns"
                                      " WHERE table_schema = 'public'"):
        found.setdefault(table, set()).add(column)
    return found


@pytest.mark.postgresql_only
def test_postgresql_init_db_and_migrate_reach_the_same_schema_as_each_other_and_sqlite(tmp_path):
    with postgres_admin() as admin:
        for name in ("jobstop_fresh", "jobstop_stepwise"):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
    fresh, stepwise = postgres_url("jobstop_fresh"), postgres_url("jobstop_stepwise")
    try:
        db.init_db(fresh)
        conn = db.connect(stepwise)
        db.migrate(conn, upto=1)
        assert len(db.migrate(conn)) == len(db.migration_files("postgresql")) - 1
        assert db.migrate(conn) == []
        conn.close()
        assert postgres_schema(fresh) == postgres_schema(stepwise)
        sqlite_file = str(tmp_path / "same.sqlite3")
        db.init_db(sqlite_file)
        on_sqlite, on_postgres = db.connect(sqlite_file), db.connect(fresh)
        assert table_columns(on_postgres) == table_columns(on_sqlite)
        on_sqlite.close()
        on_postgres.close()
    finally:
        db.close_pools()
        with postgres_admin() as admin:
            for name in ("jobstop_fresh", "jobstop_stepwise"):
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_environment_overrides_defaults_with_types():
    found = config.from_environment({"JOBSTOP_IDLE_SECONDS": "45", "TWILIO_AUTH_TOKEN": "t",
                                     "JOBSTOP_SMS_RATE_PER_SECOND": "2.5",
                                     "JOBSTOP_SECRET_KEY": "s", "UNRELATED": "1"})
    assert found == {"IDLE_SECONDS": 45, "TWILIO_AUTH_TOKEN": "t",
                     "SMS_RATE_PER_SECOND": 2.5, "SECRET_KEY": "s"}


def test_secret_key_is_generated_per_install_not_hard_coded(tmp_path):
    first = config.instance_secret_key(str(tmp_path))
    assert len(first) == 64
    assert config.instance_secret_key(str(tmp_path)) == first
    assert config.instance_secret_key(str(tmp_path / "other")) != first


def test_cli_init_db_then_migrate(runner, tmp_path):
    result = runner.invoke(args=["init-db"])
    assert "Initialized" in result.output
    result = runner.invoke(args=["migrate"])
    assert "Already up to date." in result.output


def test_htmx_is_served_from_the_npm_package(client):
    with client.get("/vendor/htmx.min.js") as response:
        assert response.status_code == 200
        assert b"htmx" in response.data[:2000]
    assert client.get("/vendor/../package.json").status_code == 404
    assert client.get("/vendor/jquery.js").status_code == 404


def test_unknown_kiosk_is_a_korean_404(client):
    response = client.get("/k/nowhere/")
    assert response.status_code == 404
    assert "찾으시는 화면이 없습니다" in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_in_korean_and_changes_nothing(client):
    home = client.get("/k/suwon-station/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    for sent in ({}, {"csrf_token": "forged"}):
        response = client.post("/k/suwon-station/prefs", data={"lang": "en", **sent})
        assert response.status_code == 400
        assert "다시 시도해 주세요" in response.get_data(as_text=True)
    assert 'lang="ko"' in client.get("/k/suwon-station/").get_data(as_text=True)
    accepted = client.post("/k/suwon-station/prefs", data={"lang": "en", "csrf_token": token})
    assert accepted.status_code == 303
    assert 'lang="en"' in client.get("/k/suwon-station/").get_data(as_text=True)


def test_signed_webhooks_are_exempt_from_csrf_and_checked_by_signature(client):
    # No CSRF token and no Twilio signature: refused by the signature check (403), not CSRF (400).
    assert client.post("/sms/inbound", data={"From": "+821012345678", "Body": "STOP"}).status_code == 403
