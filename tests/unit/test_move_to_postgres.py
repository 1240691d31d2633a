"""`jobstop move-to-postgres --to URL`: an installation's SQLite data into an empty PostgreSQL
database, verified table by table; a database that is not empty is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from scheduler_helpers import add_seeker
from support import SECRET, START, ZONE, make_app, postgres_admin, postgres_url

from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.demo import loader as demo
from kiosk.stats import usage
from sms.outbound import outbox

pytestmark = pytest.mark.postgresql_only
KIOSK = "/k/suwon-station"


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    name = "jobstop_move_target"
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    yield postgres_url(name)
    usage.flush_all(postgres_url(name))  # the moved app's kiosk visit, before the database goes
    db.close_pools()
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_install(tmp_path, clock) -> str:
    """A SQLite installation in use: the demo, a registered person, a text waiting to go out."""
    path = str(tmp_path / "jobstop.sqlite3")
    db.init_db(path)
    conn = db.connect(path)
    demo.load(conn, FrozenClock(START).now(), ZONE, secret=SECRET)
    add_seeker(conn, "+821055501234", clock.now(), occupations=["security"])
    with db.transaction(conn):
        outbox.enqueue(conn, to="+821055501234", body="안녕하세요", kind="transactional", dedupe_key="move:1",
                       now=clock.now())
    conn.close()
    return path


def counts(target: str) -> dict[str, int]:
    conn = db.connect(target)
    try:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in db.table_names(conn)}
    finally:
        conn.close()


def test_postgresql_receives_every_row_and_serves_the_kiosk(sqlite_install, empty_postgres, clock, tmp_path):
    before = counts(sqlite_install)
    runner = make_app(sqlite_install, clock, tmp_path).test_cli_runner()
    result = runner.invoke(main, ["move-to-postgres", "--to", empty_postgres])
    assert result.exit_code == 0, result.output
    assert "every table's row count and checksum match" in result.stdout
    assert counts(empty_postgres) == before and before["openings"] > 1000 and before["opening_grams"] > 0
    moved = make_app(empty_postgres, clock, tmp_path / "moved")
    page = moved.test_client().get(f"{KIOSK}/openings?q=경비")
    assert page.status_code == 200 and "경비" in page.get_data(as_text=True)
    conn = db.connect(empty_postgres)
    try:
        highest = conn.execute("SELECT max(id) FROM seekers").fetchone()[0]
        newcomer = add_seeker(conn, "+821055509999", clock.now())
        assert newcomer == highest + 1  # new ids continue after the copied ones
        assert conn.execute("SELECT count(*) FROM alert_keys WHERE seeker_id = ?", (newcomer,)).fetchone()[0] == 1
    finally:
        conn.close()


def test_postgresql_that_is_not_empty_is_refused_and_left_alone(sqlite_install, empty_postgres, clock, tmp_path):
    conn = db.connect(empty_postgres)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    runner = make_app(sqlite_install, clock, tmp_path).test_cli_runner()
    result = runner.invoke(main, ["move-to-postgres", "--to", empty_postgres])
    assert result.exit_code != 0 and "not empty" in result.output
    assert counts(empty_postgres) == {"notes": 1}
