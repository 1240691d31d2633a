"""What tests share besides fixtures: the test clock's start, the zone, and an app on a test database."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kiosk.app import create_app
from kiosk.core.clock import FrozenClock

# Monday 23 November 2026, 10:00 in Seoul.
START = "2026-11-23T01:00:00Z"
ZONE = "Asia/Seoul"
SECRET = "test-secret"  # the test app's SECRET_KEY, which keys the consent ledger
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# The PostgreSQL server the suite runs on instead of SQLite files (unset: SQLite).
POSTGRES = os.environ.get("JOBSTOP_TEST_DATABASE", "")


def postgres_url(name: str) -> str:
    """JOBSTOP_TEST_DATABASE's server, database `name`."""
    parts = urlsplit(POSTGRES)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def postgres_admin():
    """A plain autocommit psycopg connection to JOBSTOP_TEST_DATABASE, to create and drop databases."""
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        yield admin


def make_app(database: str, clock: FrozenClock, tmp_path: Path, **settings):
    """An app on the test's database and clock, with settings on top of the test defaults."""
    app = create_app({"TESTING": True, "DATABASE": database, "CLOCK": clock,
                      "SECRET_KEY": SECRET, "PUBLIC_URL": "https://jobstop.example.kr",
                      "TIMEZONE": ZONE, "RATELIMIT_ENABLED": False,  # tests/web/test_rate_limits.py turns it on
                      "KIOSK_AUTO_ENROL": True,  # tests/web/test_enrolment.py turns it off
                      **settings})
    app.instance_path = str(tmp_path / "instance")
    return app
