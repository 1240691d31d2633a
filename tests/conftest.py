"""Shared fixtures: an app on a real SQLite file with demo data, a settable clock, a Twilio peer."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import SECRET, START, ZONE, make_app
from werkzeug.serving import make_server

from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.demo import loader as demo
from kiosk.demo.seekers import DEMO_SEEKERS
from kiosk.seekers import store as seekers

# `jobstop` reads ./.env (kiosk/cli); a developer's .env must not configure the tests or the
# commands they start. tests/unit/test_dotenv.py runs the command without this switch.
os.environ["FLASK_SKIP_DOTENV"] = "1"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo places and openings, built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    db.init_db(str(path))
    conn = db.connect(str(path))
    demo.load(conn, FrozenClock(START).now(), ZONE, secret=SECRET)
    # The demo's seekers get alerts (tests/scheduler/test_demo_alerts.py); elsewhere the
    # matching figures are those of the seekers a test adds, so here theirs are paused.
    with db.transaction(conn):
        for phone, *_ in DEMO_SEEKERS:
            seekers.set_alerts_paused(conn, seekers.find_by_phone(conn, phone)["id"], True, FrozenClock(START).now())
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def database(tmp_path: Path, demo_database: Path) -> str:
    target = tmp_path / "jobstop.sqlite3"
    shutil.copyfile(demo_database, target)
    return str(target)


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
    """A connection of the test's own to the app's database file."""
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
