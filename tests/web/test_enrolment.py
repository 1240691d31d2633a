"""Kiosk devices: a one-time code enrols a browser for one kiosk; any other browser is not a kiosk."""

from __future__ import annotations

import re

import pytest
from support import make_app

from kiosk.cli import production
from kiosk.core.db import transaction
from kiosk.http.clients import DEVICE_COOKIE
from kiosk.places import devices

K = "/k/suwon-station"
NOT_A_KIOSK = "이 화면은 등록된 키오스크가 아닙니다"
KIOSK_HOME = "일자리 찾기"


@pytest.fixture
def app(database, clock, tmp_path):
    """Production's rule: a browser is a kiosk only after enrolment."""
    return make_app(database, clock, tmp_path, KIOSK_AUTO_ENROL=False)


def code_for(app, conn, kiosk: str = "suwon-station") -> str:
    return devices.make_code(conn, kiosk, app.extensions["clock"].now(), app.config["SECRET_KEY"]).code


def token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def type_code(client, code: str):
    return client.post("/k/enrol", data={"csrf_token": token(client, "/k/enrol"), "code": code})


def enrolled(app, conn, kiosk: str = "suwon-station"):
    client = app.test_client()
    assert type_code(client, code_for(app, conn, kiosk)).status_code == 303
    return client


def test_a_browser_that_is_not_enrolled_gets_only_the_plain_refusal(client):
    for response in (client.get(f"{K}/"), client.get(f"{K}/openings"), client.post(f"{K}/reset")):
        assert response.status_code == 403  # the POST without a form token too: no CSRF screen of the kiosk
        assert NOT_A_KIOSK in response.text and KIOSK_HOME not in response.text
        assert 'href="/k/enrol"' in response.text and response.headers["Cache-Control"] == "no-store"
    assert client.get_cookie(DEVICE_COOKIE) is None
    wrong_method = client.put(f"{K}/openings")  # refused before any view: still only the refusal
    assert wrong_method.status_code == 403 and NOT_A_KIOSK in wrong_method.text


def test_a_code_typed_as_shown_enrols_this_browser_for_its_kiosk_once(app, client, conn):
    code = code_for(app, conn)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    typed = f" {code.lower()} "  # lower case, spaces: as a person or a scanner types it
    response = type_code(client, typed)
    assert response.status_code == 303 and response.location == f"{K}/"
    cookie = client.get_cookie(DEVICE_COOKIE)
    assert cookie.http_only and cookie.same_site == "Strict" and cookie.secure  # PUBLIC_URL is https
    assert KIOSK_HOME in client.get(f"{K}/").text
    device = conn.execute("SELECT * FROM kiosk_devices").fetchone()
    assert (device["kiosk_code"], device["enrolled_how"], device["disabled_at"]) == ("suwon-station", "code", None)

    other = app.test_client()
    again = type_code(other, code)
    assert again.status_code == 422 and "이미 사용한 등록 코드입니다" in again.text
    assert f'value="{code}"' in again.text  # what was typed stays
    assert other.get(f"{K}/").status_code == 403


@pytest.mark.parametrize(("typed", "says"), [
    ("", "등록 코드를 입력하세요"),
    ("ABCD-EFGH", "맞지 않는 등록 코드입니다"),
    ("ABC", "맞지 않는 등록 코드입니다"),
])
def test_a_wrong_or_empty_code_is_refused_with_the_reason(client, typed, says):
    response = type_code(client, typed)
    assert response.status_code == 422 and says in response.text
    assert client.get_cookie(DEVICE_COOKIE) is None and client.get(f"{K}/").status_code == 403


def test_a_code_expires_after_a_day_and_a_newer_code_replaces_it(app, client, conn, clock):
    old = code_for(app, conn)
    clock.advance(hours=1)
    new = code_for(app, conn)
    assert "사용 기간(24시간)이 지났습니다" in type_code(client, old).text  # the newer code replaced it
    clock.advance(hours=24)
    response = type_code(client, new)
    assert response.status_code == 422 and "사용 기간(24시간)이 지났습니다" in response.text
    assert conn.execute("SELECT count(*) FROM kiosk_devices").fetchone()[0] == 0


def test_an_enrolled_browser_is_only_its_own_kiosk(app, conn):
    client = enrolled(app, conn)
    assert client.get(f"{K}/").status_code == 200
    other = client.get("/k/suwon-center/")
    assert other.status_code == 403 and NOT_A_KIOSK in other.text


def test_a_forged_credential_is_not_a_kiosk(app, conn):
    client = enrolled(app, conn)
    value = client.get_cookie(DEVICE_COOKIE).value
    forged = value.replace(value.split(".")[0], "WzEsInN1d29uLWNlbnRlciJd")  # another kiosk, same signature
    client.set_cookie(DEVICE_COOKIE, forged)
    assert client.get("/k/suwon-center/").status_code == 403
    assert client.get(f"{K}/").status_code == 403


def test_the_next_visitor_on_an_enrolled_kiosk_still_gets_the_kiosk(app, conn):
    client = enrolled(app, conn)
    form = token(client, f"{K}/register")
    client.post(f"{K}/prefs", data={"csrf_token": form, "lang": "en"})
    assert client.post(f"{K}/reset", data={"csrf_token": form}).status_code == 303
    home = client.get(f"{K}/")
    assert home.status_code == 200 and KIOSK_HOME in home.text  # Korean again: a new visitor


def test_a_disabled_device_is_refused_at_its_next_request(app, conn, clock):
    client = enrolled(app, conn)
    form = token(client, f"{K}/register")
    device = conn.execute("SELECT id FROM kiosk_devices").fetchone()[0]
    devices.disable(conn, device, clock.now())
    page = client.get(f"{K}/openings")
    assert page.status_code == 403 and NOT_A_KIOSK in page.text
    report = client.post(f"{K}/report", headers={"X-CSRF-Token": form})
    assert report.status_code == 403  # the page's report reloads it to the refusal


def test_an_enrolled_device_reports_in_without_keeping_the_visitor(app, conn, clock):
    client = enrolled(app, conn)
    form = token(client, f"{K}/register")
    client.post(f"{K}/prefs", data={"csrf_token": form, "lang": "en"})
    assert "Find jobs" in client.get(f"{K}/").text
    row = conn.execute("SELECT id, last_seen_at FROM kiosk_devices").fetchone()
    for _ in range(3):  # a report a minute, for longer than a visitor's session lasts untouched
        clock.advance(minutes=1)
        assert client.post(f"{K}/report", headers={"X-CSRF-Token": form}).status_code == 204
    assert devices.get(conn, row["id"])["last_seen_at"] == "2026-11-23T01:03:00Z" > row["last_seen_at"]
    assert KIOSK_HOME in client.get(f"{K}/").text  # the visitor's English ended with their session


def codes_sent(conn) -> int:
    return conn.execute("SELECT count(*) FROM sms_messages WHERE kind = 'otp'").fetchone()[0]


def ask_code(client, kiosk_path: str, phone: str, addr: str):
    client.environ_base["REMOTE_ADDR"] = addr
    client.get(f"{kiosk_path}/booking")
    page = client.get(f"{kiosk_path}/verify/phone")
    if page.status_code != 200:
        return page
    form = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(f"{kiosk_path}/verify/phone", data={"csrf_token": form, "phone": phone},
                           follow_redirects=True)
    client.post(f"{kiosk_path}/reset", data={"csrf_token": form})  # the next visitor
    return response


def test_the_code_cap_counts_per_device_and_another_kiosk_in_the_address_does_not_reset_it(app, conn):
    app.config.update(CODES_PER_DEVICE_PER_HOUR=3, CODES_PER_CLIENT_PER_HOUR=0)
    device = enrolled(app, conn)
    for n in range(3):
        ask_code(device, K, f"+82105400{n:04d}", f"192.0.2.{n}")
    assert codes_sent(conn) == 3
    capped = ask_code(device, K, "+821054009999", "192.0.2.99")
    assert "인증번호를 너무 많이 요청했습니다" in capped.text and codes_sent(conn) == 3
    for other in ("/k/suwon-center", "/k/jobbus-1"):  # the same PC with another kiosk in the address
        assert ask_code(device, other, "+821054008888", "192.0.2.98").status_code == 403
    device.delete_cookie(DEVICE_COOKIE)  # or without its credential
    assert ask_code(device, K, "+821054007777", "192.0.2.97").status_code == 403
    assert codes_sent(conn) == 3
    second = enrolled(app, conn)  # another PC enrolled at the same kiosk counts on its own
    ask_code(second, K, "+821054006666", "192.0.2.96")
    assert codes_sent(conn) == 4


def test_production_refuses_automatic_enrolment(database, clock, tmp_path):
    app = make_app(database, clock, tmp_path, KIOSK_AUTO_ENROL=True)
    assert any("JOBSTOP_KIOSK_AUTO_ENROL" in problem for problem in production.problems(app))


def test_automatic_enrolment_makes_one_device_per_browser(database, clock, tmp_path, conn):
    app = make_app(database, clock, tmp_path)  # the tests' and the demo's way
    client = app.test_client()
    for _ in range(3):
        assert client.get(f"{K}/").status_code == 200
    with transaction(conn, immediate=False):
        rows = conn.execute("SELECT kiosk_code, enrolled_how FROM kiosk_devices").fetchall()
    assert [tuple(r) for r in rows] == [("suwon-station", "automatic")]
