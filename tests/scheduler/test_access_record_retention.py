"""Access records outlive retention for at least two years, whatever the settings say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from scheduler_helpers import add_seeker
from support import make_app

from kiosk.core import db
from kiosk.staff import access_records
from scheduler import retention

AGES = (1, 400, 730, 731, 732, 1200)  # days


def add_records(conn, now, seeker_id: int | None = None) -> None:
    with db.transaction(conn):
        for days in AGES:
            access_records.add(conn, now - timedelta(days=days), account_id=None, email="admin@x.kr",
                               address="10.0.0.1", action="view", what=f"{days} days ago", seeker_id=seeker_id)


def kept(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT what FROM access_records ORDER BY at DESC").fetchall()]


@pytest.mark.parametrize("days, left", [
    (None, ["1 days ago", "400 days ago", "730 days ago", "731 days ago"]),  # two years and a leap day
    (30, ["1 days ago", "400 days ago", "730 days ago", "731 days ago"]),  # no setting cuts into two years
    (1000, ["1 days ago", "400 days ago", "730 days ago", "731 days ago", "732 days ago"]),
])
def test_retention_deletes_access_records_only_after_two_years(database, clock, tmp_path, conn, days, left):
    settings = {} if days is None else {"ACCESS_RECORD_DAYS": days}
    app = make_app(database, clock, tmp_path, **settings)
    add_records(conn, clock.now())
    counts = retention.run(app)
    assert kept(conn) == left
    assert counts["access_records"] == len(AGES) - len(left)
    assert retention.run(app)["access_records"] == 0


def test_a_seeker_anonymized_for_inactivity_keeps_the_records_of_who_saw_their_data(app, conn, clock):
    long_ago = clock.now() - timedelta(days=800)
    dormant = add_seeker(conn, "+821000000061", long_ago, last_active=long_ago)
    with db.transaction(conn):
        access_records.add(conn, clock.now() - timedelta(days=100), account_id=None, email="staff@x.kr",
                           address="10.0.0.2", action="view", what="seeker", seeker_id=dormant, reason="상담")
    assert retention.run(app)["anonymized"] >= 1
    row = conn.execute("SELECT seeker_id, reason FROM access_records WHERE seeker_id = ?", (dormant,)).fetchone()
    assert tuple(row) == (dormant, "상담")
