"""Shared fixtures: an app on a real SQLite file with demo data, a settable clock, Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from kiosk.app import create_app
from kiosk.cli import main
from kiosk.core import db
from kiosk.core.clock import FrozenClock
from kiosk.demo import loader as demo

# Monday 23 November 2026, 10:00 in Seoul.
START = "2026-11-23T01:00:00Z"
ZONE = "Asia/Seoul"
CHROMIUM = "/usr/bin/chromium"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the demo places and openings, built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    db.init_db(str(path))
    conn = db.connect(str(path))
    demo.load(conn, FrozenClock(START).now(), ZONE)
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


def make_app(database: str, clock: FrozenClock, tmp_path: Path, **settings):
    """An app on the test's database and clock, with settings on top of the test defaults."""
    app = create_app({"TESTING": True, "DATABASE": database, "CLOCK": clock,
                      "SECRET_KEY": "test-secret", "PUBLIC_URL": "https://jobstop.example.kr",
                      "TIMEZONE": ZONE, **settings})
    app.instance_path = str(tmp_path / "instance")
    return app


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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download is possible here)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A touch screen kiosk: 1080×1920 portrait, Korean, a fresh profile per test."""
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True,
                                  locale="ko-KR", timezone_id=ZONE, base_url=live_server)
    page = context.new_page()
    yield page
    context.close()


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """WCAG 2.2 A/AA violations axe-core (from npm) finds on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values:"
        " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]


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
