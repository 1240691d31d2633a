"""The server ends an idle kiosk session by itself, whatever the kiosk's browser did."""

from __future__ import annotations

import re

from counselor_sms_helpers import register_seeker
from support import make_app

from tests.web.test_counseling_booking import PHONE, Seeker

K = "/k/suwon-station"
WINDOW = 90 + 30 + 10  # IDLE_SECONDS + IDLE_COUNTDOWN_SECONDS + IDLE_GRACE_SECONDS


def signed_in(client, conn, clock) -> Seeker:
    register_seeker(conn, PHONE, clock.now())
    seeker = Seeker(client, conn)
    seeker.log_in()
    return seeker


def ends(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT expires_at FROM web_sessions")]


def test_an_idle_kiosk_session_ends_on_the_server(client, conn, clock):
    signed_in(client, conn, clock)
    assert conn.execute("SELECT count(*) FROM web_sessions WHERE data LIKE '%seeker_id%'").fetchone()[0] == 1
    clock.advance(seconds=WINDOW - 5)
    assert client.get(f"{K}/my").status_code == 200  # a screen in time: the visit goes on
    clock.advance(seconds=WINDOW + 1)  # nothing since: the reset never came
    page = client.get(f"{K}/my")
    assert page.status_code == 303 and page.headers["Location"].endswith(f"{K}/verify/phone")
    assert conn.execute("SELECT count(*) FROM web_sessions WHERE data LIKE '%seeker_id%'").fetchone()[0] == 0


def test_the_heartbeat_keeps_a_reading_visitor_and_rows_are_not_rewritten_each_time(client, conn, clock):
    seeker = signed_in(client, conn, clock)
    token = seeker.token(client.get(f"{K}/my"))
    before = ends(conn)
    clock.advance(seconds=4)
    assert client.get(f"{K}/openings").status_code == 200
    assert ends(conn) == before  # moved by less than half the grace: the row stays as it was
    clock.advance(seconds=2)
    client.get(f"{K}/openings")
    assert ends(conn) != before
    for _ in range(3):  # reading a long page, scrolling now and then: only heartbeats arrive
        clock.advance(seconds=WINDOW - 10)
        assert client.post(f"{K}/alive", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get(f"{K}/my").status_code == 200


def test_the_screen_left_standing_still_answers_the_next_visitor(client, clock):
    home = client.get(f"{K}/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    clock.advance(hours=3)  # home stood there all afternoon; its session ended long ago
    tapped = client.post(f"{K}/prefs", data={"csrf_token": token, "toggle": "large_text", "next": f"{K}/"})
    assert tapped.status_code == 303
    assert "large-text" in client.get(f"{K}/").text


def test_a_form_sent_by_the_kiosk_script_learns_where_to_go(client):
    home = client.get(f"{K}/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    sent = client.post(f"{K}/reset", data={"csrf_token": token}, headers={"X-Kiosk-Submit": "1"})
    assert sent.status_code == 204 and sent.headers["X-Kiosk-Location"] == f"{K}/"
    assert "Location" not in sent.headers


def test_scripts_and_stylesheets_never_touch_a_visitor_s_session(client, conn, clock):
    signed_in(client, conn, clock)
    before = conn.execute("SELECT id, data, expires_at FROM web_sessions").fetchall()
    clock.advance(seconds=WINDOW + 1)  # the visit is over; only the kiosk's own screens may say so
    for asset in ("/static/js/kiosk.js", "/static/css/kiosk.css", "/vendor/htmx.min.js"):
        response = client.get(asset)
        response.close()
        assert response.status_code == 200
    assert [tuple(row) for row in conn.execute("SELECT id, data, expires_at FROM web_sessions")] == \
        [tuple(row) for row in before]
    assert client.get(f"{K}/my").status_code == 303  # and the screen still ends it


def visit_mark(page) -> str:
    return re.search(r'data-visit="([^"]+)"', page.text).group(1)


def test_a_visitor_who_only_looks_writes_no_session_row(app, conn):
    for _ in range(30):  # a flood of cookie-less requests: every screen, a search, the same URL twice
        fresh = app.test_client()
        for path in (f"{K}/", f"{K}/openings?q=경비", f"{K}/register", f"{K}/openings?q=경비"):
            assert fresh.get(path).status_code == 200
    assert conn.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == 0
    looker = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', looker.get(f"{K}/").text).group(1)
    mark = visit_mark(looker.get(f"{K}/"))
    assert visit_mark(looker.get(f"{K}/openings")) == mark  # the same visit from screen to screen
    # Its token, kept in the signed cookie, still guards its first choice, which makes a row.
    assert looker.post(f"{K}/prefs", data={"csrf_token": token, "lang": "en"}).status_code == 303
    assert conn.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == 1
    assert '<html lang="en"' in looker.get(f"{K}/").text and visit_mark(looker.get(f"{K}/")) == mark


def test_a_looking_visitors_cookie_ends_with_the_idle_time_and_cannot_be_forged(app, client, clock):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{K}/").text).group(1)
    mark = visit_mark(client.get(f"{K}/"))
    clock.advance(seconds=WINDOW + 1)
    assert visit_mark(client.get(f"{K}/")) != mark  # the next visitor's page, same form token
    assert client.post(f"{K}/prefs", data={"csrf_token": token, "lang": "en"}).status_code == 303
    forger = app.test_client()
    forger.set_cookie("session", "~" + '{"data": {"csrf": "x"}}')
    assert forger.post(f"{K}/prefs", data={"csrf_token": "x", "lang": "en"}).status_code == 400


def test_a_looking_visitors_reset_and_a_cookie_signed_with_another_key_start_a_new_visit(app, database, clock,
                                                                                          tmp_path):
    looker = app.test_client()
    mark = visit_mark(looker.get(f"{K}/"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', looker.get(f"{K}/").text).group(1)
    assert looker.post(f"{K}/reset", data={"csrf_token": token}).status_code == 303
    assert looker.get_cookie("session") is None  # the signed cookie went with the visit
    assert visit_mark(looker.get(f"{K}/")) != mark
    elsewhere = make_app(database, clock, tmp_path, SECRET_KEY="another installation's key").test_client()
    foreign = re.search(r'name="csrf_token" value="([^"]+)"', elsewhere.get(f"{K}/").text).group(1)
    stranger = app.test_client()
    stranger.set_cookie("session", elsewhere.get_cookie("session").value)
    assert stranger.post(f"{K}/prefs", data={"csrf_token": foreign, "lang": "en"}).status_code == 400
