"""Shared fixtures: an app on a real database with demo data, a settable clock, a Twilio peer.

The database is a SQLite file; with JOBSTOP_TEST_DATABASE=postgresql://... (a server the
tests may create databases on, e.g. from .ci/pg-cluster) it is a fresh PostgreSQL database
per test instead. A test that makes sense on one engine only carries the mark sqlite_only or
postgresql_only (and says so in its name); the other engine's run skips it.
"""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import POSTGRES, SECRET, START, ZONE, make_app, postgres_admin, postgres_url
from werkzeug.serving import make_server

from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.demo import loader as demo
from kiosk.demo.seekers import DEMO_SEEKERS
from kiosk.seekers import store as seekers
from kiosk.stats import usage

# `jobstop` reads ./.env (kiosk/cli); a developer's .env must not configure the tests or the
# commands they start. tests/unit/test_dotenv.py runs the command without this switch.
os.environ["FLASK_SKIP_DOTENV"] = "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each engine's run leaves out the tests that are about the other engine only."""
    other = "sqlite_only" if POSTGRES else "postgresql_only"
    reason = "about the other database engine"
    for item in items:
        if item.get_closest_marker(other):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """A migrated database with the demo places and openings, built once and copied per test."""
    if POSTGRES:
        yield from _postgres_template()
        return
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    _load_demo(str(path))
    yield str(path)


def _load_demo(target: str) -> None:
    db.init_db(target)
    conn = db.connect(target)
    demo.load(conn, FrozenClock(START).now(), ZONE, secret=SECRET)
    # The demo's seekers get alerts (tests/scheduler/test_demo_alerts.py); elsewhere the
    # matching figures are those of the seekers a test adds, so here theirs are paused.
    with db.transaction(conn):
        for phone, *_ in DEMO_SEEKERS:
            seekers.set_alerts_paused(conn, seekers.find_by_phone(conn, phone)["id"], True, FrozenClock(START).now())
    if db.engine(conn) == "sqlite":
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


class PostgresCopies:
    """Fresh copies of the demo template, made a few tests ahead in a thread of their own (a
    copy takes a second or two of the server's time, which overlaps the running test's), and
    dropped in the same thread once their test is done."""

    AHEAD = 2

    def __init__(self, template: str) -> None:
        self.template, self._numbers = template, itertools.count(1)
        self._ready: queue.Queue[str] = queue.Queue(maxsize=self.AHEAD)
        self._done: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        with postgres_admin() as admin:
            while not self._stop.is_set():
                while not self._done.empty():
                    admin.execute(f"DROP DATABASE IF EXISTS {self._done.get_nowait()} WITH (FORCE)")
                if self._ready.full():
                    self._stop.wait(0.05)
                    continue
                name = f"{self.template}_{next(self._numbers)}"
                admin.execute(f"CREATE DATABASE {name} TEMPLATE {self.template}")
                self._ready.put(name)

    def take(self) -> str:
        return self._ready.get(timeout=120)

    def give_back(self, name: str) -> None:
        self._done.put(name)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        with postgres_admin() as admin:
            for waiting in (self._ready, self._done):
                while not waiting.empty():
                    admin.execute(f"DROP DATABASE IF EXISTS {waiting.get_nowait()} WITH (FORCE)")


def _postgres_template() -> Iterator[PostgresCopies]:
    name = f"jobstop_demo_{os.getpid()}"
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    _load_demo(postgres_url(name))
    db.close_pools()  # CREATE DATABASE ... TEMPLATE needs the template without connections
    copies = PostgresCopies(name)
    yield copies
    copies.close()
    db.close_pools()
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def database(tmp_path: Path, demo_database) -> Iterator[str]:
    """The test's own database with the demo data: a SQLite file, or a PostgreSQL URL."""
    if POSTGRES:
        name = demo_database.take()
        yield postgres_url(name)
        usage.flush_all(postgres_url(name))  # what a test's app still holds goes in before the drop
        db.close_pools()
        demo_database.give_back(name)
        return
    target = tmp_path / "jobstop.sqlite3"
    shutil.copyfile(demo_database, target)
    yield str(target)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def app(database: str, clock: FrozenClock, tmp_path: Path):
    return make_app(database, clock, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


class Commands:
    """The `jobstop` command run against the test's app: runner.invoke(args=[...])."""

    def __init__(self, app) -> None:
        self._runner = app.test_cli_runner()

    def invoke(self, args: list[str], **kwargs):
        return self._runner.invoke(main, args=args, **kwargs)


@pytest.fixture
def runner(app) -> Commands:
    return Commands(app)


@pytest.fixture
def conn(database: str) -> Iterator:
    """A connection of the test's own to the app's database."""
    connection = db.connect(database)
    yield connection
    connection.close()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def peer():
    """A loopback Twilio peer (tests/twilio_peer.py) the real twilio client talks to."""
    from twilio_peer import TwilioPeer

    with TwilioPeer() as running:
        yield running


@pytest.fixture
def twilio_settings() -> dict:
    """Dispatcher settings for twilio_app; a module overrides this fixture to change them."""
    return {}


@pytest.fixture
def twilio_app(database, clock, tmp_path, peer, twilio_settings):
    """The app sending through the real twilio client to the loopback peer."""
    from twilio_peer import ACCOUNT_SID, AUTH_TOKEN

    return make_app(database, clock, tmp_path, **{
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+15005550006", "TWILIO_API_BASE_URL": peer.base_url,
        "SMS_RATE_PER_SECOND": 0, "SMS_SENDERS": 2, **twilio_settings})
