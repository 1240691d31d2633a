"""직원 호출: the counselor on shift is texted once in five minutes per kiosk; elsewhere the
center's number and a call-back request that reaches a counselor or the staff list."""

from __future__ import annotations

import re

from kiosk.core.clock import iso
from kiosk.http.sessions import forget_person

STATION = "/k/suwon-station"      # a booth with counselors 08:00-22:00 every day
BUS = "/k/jobbus-1"               # the job bus: its center has no counselors
TOWN = "/k/seongnam-moran"        # a bus stop of a city center open 09:00-18:00 on weekdays


def token(client, kiosk: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{kiosk}/").text).group(1)


def call(client, kiosk: str, where: str, csrf: str):
    """Taps 직원 호출 on the screen at `where`, then reads the help screen."""
    tapped = client.post(f"{kiosk}/help", data={"csrf_token": csrf, "next": f"{kiosk}{where}"})
    assert tapped.status_code == 303 and tapped.headers["Location"].endswith(f"{kiosk}/help")
    return client.get(f"{kiosk}/help")


def help_texts(conn) -> list:
    return conn.execute("SELECT m.to_number, m.body, m.next_attempt_at, k.center_id, k.shift FROM sms_messages m"
                        " JOIN counselors k ON k.phone = m.to_number WHERE m.dedupe_key LIKE 'help:%'"
                        " ORDER BY m.id").fetchall()


def test_every_screen_has_the_button_and_it_posts_where_the_visitor_is(client):
    for path in ("/", "/openings", "/register"):
        page = client.get(f"{STATION}{path}").text
        form = re.search(r'<form class="row" method="post" action="([^"]+)">\s*<input[^>]+>\s*'
                         r'<input type="hidden" name="next" value="([^"]*)">\s*<button[^>]+id="nav-help"', page)
        assert form and form.group(1) == f"{STATION}/help" and form.group(2) == f"{STATION}{path}"
        assert "직원 호출" in page


def test_on_shift_the_counselor_is_texted_and_a_second_tap_is_not_texted_again(client, conn, clock):
    csrf = token(client, STATION)
    page = call(client, STATION, "/openings?q=경비", csrf)
    assert "직원이 곧 옵니다" in page.text and "근무 중인 상담사에게 알렸습니다" in page.text
    assert f'href="{STATION}/openings?q=경비"' in page.text  # back to where they were
    [text] = help_texts(conn)
    assert "수원역 맞이방 키오스크" in text["body"] and "오전 10:00" in text["body"]
    assert text["shift"] == 1 and text["next_attempt_at"] == iso(clock.now())

    clock.advance(minutes=4, seconds=59)
    next_visitor = client.application.test_client()
    second = call(next_visitor, STATION, "/", token(next_visitor, STATION))
    assert "이미 직원을 불렀습니다" in second.text
    assert len(help_texts(conn)) == 1

    clock.advance(seconds=2)
    call(client, STATION, "/", csrf)
    first, again = help_texts(conn)
    assert again["to_number"] != first["to_number"]  # the counselor who went is not texted again


def test_the_five_minutes_are_per_kiosk(client, conn, clock):
    clock.set("2026-11-23T02:00:00Z")  # Monday 11:00: both centers are open
    call(client, STATION, "/", token(client, STATION))
    page = call(client, TOWN, "/", token(client, TOWN))
    assert "근무 중인 상담사에게 알렸습니다" in page.text
    assert {row["center_id"] for row in help_texts(conn)} == {1, 3}


def test_tapping_on_the_help_screen_keeps_the_way_back(client):
    csrf = token(client, STATION)
    call(client, STATION, "/openings", csrf)
    page = call(client, STATION, "/help", csrf)
    assert f'href="{STATION}/openings"' in page.text
    assert 'id="nav-help"' not in page.text  # no second 직원 호출 on the help screen


def test_with_no_counselor_it_shows_the_number_and_takes_a_call_back(client, conn):
    csrf = token(client, BUS)
    page = call(client, BUS, "/openings", csrf)
    assert "031-270-9600" in page.text and "전화번호를 남기시면" in page.text
    assert "보유 기간" in page.text and "30일 뒤 파기합니다" in page.text
    assert help_texts(conn) == []

    done = client.post(f"{BUS}/help/callback", data={"csrf_token": csrf, "phone": "010-2345-6789",
                                                     "consent": "yes"})
    assert done.status_code == 303
    shown = client.get(done.headers["Location"]).text
    assert "010-****-6789" in shown and "2345" not in shown
    assert f'href="{BUS}/openings"' in shown
    [row] = conn.execute("SELECT * FROM callback_requests").fetchall()
    assert row["phone"] == "+821023456789" and row["status"] == "new" and row["kiosk_code"] == "jobbus-1"
    assert row["consent_version"] and row["language"] == "ko"


def test_bad_number_or_no_consent_is_answered_and_keeps_the_typing(client, conn):
    csrf = token(client, BUS)
    call(client, BUS, "/", csrf)
    wrong = client.post(f"{BUS}/help/callback", data={"csrf_token": csrf, "phone": "010-23", "consent": "yes"})
    assert wrong.status_code == 422 and "휴대전화 번호가 올바르지 않습니다" in wrong.text
    assert 'value="010-23"' in wrong.text
    unagreed = client.post(f"{BUS}/help/callback", data={"csrf_token": csrf, "phone": "010-2345-6789"})
    assert unagreed.status_code == 422 and "동의가 필요합니다" in unagreed.text
    assert conn.execute("SELECT count(*) FROM callback_requests").fetchone()[0] == 0


def test_after_hours_the_call_back_goes_to_the_next_shift_once(client, conn, clock):
    clock.set("2026-11-23T12:00:00Z")  # Monday 21:00: the city center closed at 18:00
    csrf = token(client, TOWN)
    page = call(client, TOWN, "/", csrf)
    assert "031-729-3000" in page.text and help_texts(conn) == []
    for _ in range(2):  # a double tap is one request
        client.post(f"{TOWN}/help/callback", data={"csrf_token": csrf, "phone": "01023456789", "consent": "yes"})
    [row] = conn.execute("SELECT * FROM callback_requests").fetchall()
    assert row["status"] == "assigned"
    [text] = conn.execute("SELECT * FROM sms_messages WHERE dedupe_key LIKE 'callback:%'").fetchall()
    assert "010-2345-6789" in text["body"] and "모란역 버스정류장" in text["body"]
    assert text["next_attempt_at"] == "2026-11-24T00:00:00Z"  # Tuesday 09:00, when the shift starts


def test_two_visitors_call_backs_go_to_two_counselors(client, conn, clock):
    clock.set("2026-11-23T12:00:00Z")  # Monday 21:00: the city center's three counselors are off
    for phone in ("010-2345-6789", "010-3456-7890"):
        visitor = client.application.test_client()
        csrf = token(visitor, TOWN)
        call(visitor, TOWN, "/", csrf)
        visitor.post(f"{TOWN}/help/callback", data={"csrf_token": csrf, "phone": phone, "consent": "yes"})
    rows = conn.execute("SELECT counselor_id FROM callback_requests ORDER BY id").fetchall()
    assert len(rows) == 2 and rows[0]["counselor_id"] != rows[1]["counselor_id"]


def test_staff_read_the_waiting_call_backs_and_close_them(client, conn, runner):
    csrf = token(client, BUS)
    call(client, BUS, "/", csrf)
    client.post(f"{BUS}/help/callback", data={"csrf_token": csrf, "phone": "010-2345-6789", "consent": "yes"})
    listed = runner.invoke(["counselors", "callbacks"])
    assert "010-2345-6789" in listed.output and "경기 일자리버스 1호" in listed.output
    request_id = conn.execute("SELECT id FROM callback_requests").fetchone()[0]
    runner.invoke(["counselors", "callbacks", "--done", str(request_id)])
    assert "010-2345-6789" not in runner.invoke(["counselors", "callbacks"]).output


def test_a_help_screen_reached_by_address_texts_no_one_and_says_what_is_true(client, conn):
    page = client.get(f"{STATION}/help")  # staff on shift: the button, not "no one can come"
    assert page.status_code == 200 and help_texts(conn) == []
    assert f'action="{STATION}/help"' in page.text and "직원이 없습니다" not in page.text
    assert 'id="callback-phone"' not in page.text
    assert client.get(f"{STATION}/help/callback").status_code == 303
    bus = client.get(f"{BUS}/help")  # no one to come: the center's number and a call-back
    assert "직원이 없습니다" in bus.text and 'id="callback-phone"' in bus.text and help_texts(conn) == []


def test_low_screen_is_kept_for_the_visit_and_forgotten_after(client):
    csrf = token(client, STATION)
    client.post(f"{STATION}/prefs", data={"csrf_token": csrf, "toggle": "low_screen", "next": f"{STATION}/"})
    for path in ("/", "/openings", "/register"):
        assert re.search(r'<html [^>]*class="[^"]*low-screen', client.get(f"{STATION}{path}").text)
    assert 'id="low-screen"\n          aria-pressed="true"' in client.get(f"{STATION}/").text
    client.post(f"{STATION}/reset", data={"csrf_token": csrf})
    assert "low-screen" not in re.search(r"<html [^>]*>", client.get(f"{STATION}/").text).group(0)


def test_a_finished_task_forgets_the_person_but_keeps_the_low_screen():
    visit = {"low_screen": True, "large_text": True, "phone_ok": "+821023456789", "seeker_id": 3}
    forget_person(visit)
    assert visit == {"low_screen": True, "large_text": True}


def test_call_backs_from_one_client_are_capped_and_a_repeat_counts_once(app, client, conn):
    app.config.update(CALLBACKS_PER_CLIENT_PER_HOUR=2)
    csrf = token(client, BUS)
    call(client, BUS, "/", csrf)
    answers = [client.post(f"{BUS}/help/callback", data={"csrf_token": csrf, "phone": phone, "consent": "yes"})
               for phone in ("010-2345-6789", "010-2345-6789", "010-3456-7890", "010-4567-8901")]
    assert [a.status_code for a in answers] == [303, 303, 303, 429]  # the repeat is the same request
    refused = answers[-1].text
    assert "전화 요청 수를 넘었습니다" in refused and "오전 11:00 이후" in refused and "031-270-9600" in refused
    assert 'value="010-4567-8901"' in refused  # the typing is kept
    assert conn.execute("SELECT count(*) FROM callback_requests").fetchone()[0] == 2
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    csrf = token(neighbour, BUS)
    call(neighbour, BUS, "/", csrf)
    assert neighbour.post(f"{BUS}/help/callback", data={"csrf_token": csrf, "phone": "010-5678-9012",
                                                         "consent": "yes"}).status_code == 303
