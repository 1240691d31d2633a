"""The kiosk's kept list screens through the real web flow: the next visitor's session and usage
writes leave them kept; a change to what they show (an opening closed by another connection,
a center's hours set from the command line) makes the next request render afresh."""

from __future__ import annotations

import re

from kiosk.core import db
from kiosk.openings import store
from kiosk.stats import usage
from kiosk.web import browse

KIOSK = "/k/suwon-station"
LIST = f"{KIOSK}/openings?occupation=security"


def cards(html: str) -> list[str]:
    return re.findall(r'href="/k/suwon-station/openings/(\d+)', html)


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - the test's names


def test_the_next_visitors_writes_keep_the_list_and_a_content_change_renders_it_afresh(
        app, database, conn, clock, runner, monkeypatch):
    renders = []
    real = browse._render_part
    monkeypatch.setattr(browse, "_render_part", lambda *args: renders.append(args) or real(*args))
    first = app.test_client().get(LIST).get_data(as_text=True)
    assert len(renders) == 1 and cards(first)
    version, sessions, events = db.data_version(conn), count(conn, "web_sessions"), count(conn, "usage_events")

    visitor = app.test_client()  # the next visitor: a session of their own, usage events of their own
    page = visitor.get(f"{KIOSK}/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert visitor.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "ko", "next": LIST}).status_code == 303
    assert visitor.get(f"{KIOSK}/openings/{cards(first)[0]}").status_code == 200
    usage.flush_all(database)
    assert count(conn, "web_sessions") > sessions and count(conn, "usage_events") > events
    assert db.data_version(conn) == version  # sessions and usage are not content
    assert cards(visitor.get(LIST).get_data(as_text=True)) == cards(first)
    assert len(renders) == 1  # served as kept, not read again

    gone = cards(first)[0]
    with db.transaction(conn):  # another connection, as the scheduler or an import on another machine
        assert store.close(conn, int(gone), clock.now())
    after = visitor.get(LIST).get_data(as_text=True)
    assert len(renders) == 2 and gone not in cards(after)
    assert cards(visitor.get(LIST).get_data(as_text=True)) == cards(after) and len(renders) == 2  # kept again

    hours = runner.invoke(args=["centers", "hours", "수원역", "--days", "sat", "--shifts", "10:00-14:00"])
    assert hours.exit_code == 0, hours.output
    visitor.get(LIST)
    assert len(renders) == 3
