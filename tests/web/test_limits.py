"""Hourly caps one anonymous person cannot exhaust: codes, jobs sent to a phone, counselor requests."""

from __future__ import annotations

import logging
import re

import pytest

from kiosk.core import limits
from kiosk.http.clients import DEVICE_COOKIE
from scheduler import retention
from tests.web.test_register import K, Visitor

ATTACKER, NEIGHBOUR = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def visitor(client, conn):
    return Visitor(client, conn)


def kiosk_codes(conn) -> list[str]:
    return [row[0] for row in conn.execute("SELECT code FROM kiosks ORDER BY code")]


def ask_code(app, phone: str, kiosk: str = "suwon-station", addr: str = ATTACKER, device: str | None = None):
    """A fresh visitor (no cookies but the device's) asks for a code; the screen that follows."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = addr
    if device:
        client.set_cookie(DEVICE_COOKIE, device)
    client.get(f"/k/{kiosk}/booking")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/k/{kiosk}/verify/phone").text).group(1)
    return client.post(f"/k/{kiosk}/verify/phone", data={"csrf_token": token, "phone": phone},
                       follow_redirects=True)


def codes_sent(conn) -> int:
    return conn.execute("SELECT count(*) FROM sms_messages WHERE kind = 'otp'").fetchone()[0]


def test_one_client_cannot_use_up_the_kiosks_codes(app, conn):
    kiosks = kiosk_codes(conn)
    assert len(kiosks) >= 3
    pages = [ask_code(app, f"+82105000{n:04d}", kiosk=kiosks[n % len(kiosks)]) for n in range(25)]
    assert codes_sent(conn) == app.config["CODES_PER_CLIENT_PER_HOUR"] == 20
    assert "인증번호를 너무 많이 요청했습니다" in pages[-1].text and "010-****-" not in pages[-1].text
    # Every kiosk still sends codes to everyone else.
    for n, kiosk in enumerate(kiosks):
        ask_code(app, f"+82107777{n:04d}", kiosk=kiosk, addr=f"198.51.100.{n}")
    assert codes_sent(conn) == 20 + len(kiosks)


def enrolled_device(app, kiosk: str = "suwon-station") -> str:
    """The credential of a browser the tests' app enrolled for a kiosk at its first screen."""
    client = app.test_client()
    client.get(f"/k/{kiosk}/")
    return client.get_cookie(DEVICE_COOKIE).value


def test_a_device_is_capped_whatever_address_it_uses(app, conn):
    device = enrolled_device(app)
    for n in range(32):
        ask_code(app, f"+82105100{n:04d}", addr=f"192.0.2.{n}", device=device)
    assert codes_sent(conn) == app.config["CODES_PER_DEVICE_PER_HOUR"] == 30


def test_the_installations_ceiling_alerts_once_and_no_client_reaches_it_alone(app, conn, caplog):
    app.config.update(CODES_PER_HOUR=5, CODES_PER_CLIENT_PER_HOUR=3)
    with caplog.at_level(logging.ERROR, logger="kiosk.core.limits"):
        for n in range(4):
            ask_code(app, f"+82105200{n:04d}", addr=ATTACKER)
        assert codes_sent(conn) == 3  # the attacker's own cap, below the ceiling
        for n in range(3):
            last = ask_code(app, f"+82105300{n:04d}", addr=NEIGHBOUR)
    assert codes_sent(conn) == 5
    assert "요청이 몰려 잠시 멈췄습니다" in last.text
    ceilings = [r for r in caplog.records if "ceiling" in r.getMessage()]
    assert len(ceilings) == 1 and ceilings[0].levelno == logging.ERROR
    assert "+8210" not in caplog.text and ATTACKER not in caplog.text


def test_the_device_credential_outlives_the_visitors_session(visitor, client):
    client.get(f"{K}/")
    device = client.get_cookie(DEVICE_COOKIE)
    assert device is not None and device.http_only and device.same_site == "Strict"
    visitor.verify()
    visitor.post(f"{K}/reset")
    client.get(f"{K}/")
    assert client.get_cookie(DEVICE_COOKIE).value == device.value


def open_openings(conn, n: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT ?", (n,))]


def test_jobs_sent_to_one_phone_are_capped_with_a_clear_message(app, visitor, client, conn):
    openings = open_openings(conn, 12)
    visitor.verify(f"{K}/openings/{openings[0]}/send")
    for opening_id in openings:
        response = visitor.post(f"{K}/openings/{opening_id}/send")
    visitor.post(f"{K}/openings/{openings[0]}/send")  # a double tap of a sent one counts nothing
    sent = conn.execute("SELECT count(*) FROM sms_messages WHERE kind = 'transactional'"
                        " AND opening_id IS NOT NULL").fetchone()[0]
    assert sent == app.config["SENDS_PER_NUMBER_PER_HOUR"] == 10
    assert response.location == f"{K}/openings/{openings[-1]}/send"
    page = client.get(response.location).text
    assert "보낼 수 있는 문자 수를 넘었습니다" in page and "오전 11:00 이후" in page
    consents = conn.execute("SELECT count(*) FROM consents WHERE kind = 'single_message'").fetchone()[0]
    assert consents == 10  # nothing of the refused sends was kept


def test_counselor_requests_are_capped_per_seeker(app, visitor, client, conn):
    visitor.register()
    openings = open_openings(conn, 5)
    for opening_id in openings:
        response = visitor.post(f"{K}/openings/{opening_id}/ask")
    asked = conn.execute("SELECT count(*) FROM referral_requests").fetchone()[0]
    assert asked == app.config["ASKS_PER_VISITOR_PER_HOUR"] == 3
    assert response.location == f"{K}/openings/{openings[-1]}/ask"
    page = client.get(response.location).text
    assert "상담 요청 수를 넘었습니다" in page and "1588-0000" in page


def test_counts_older_than_a_day_are_deleted(app, conn, clock):
    ask_code(app, "+821055550000")
    assert conn.execute("SELECT count(*) FROM limit_events").fetchone()[0] == 3  # client, device, all
    clock.advance(hours=25)
    assert retention.purge(app, conn, clock.now())["limit_counts"] == 3
    assert limits.purge_old(conn, clock.now()) == 0


def test_a_cap_frees_an_hour_after_its_oldest_count_and_a_refusal_counts_nothing(conn, clock, caplog):
    one, three, ceiling = limits.Cap("client", "a", 1), limits.Cap("device", "b", 3), limits.Cap("all", "", 4)
    first = clock.now()
    with caplog.at_level(logging.ERROR, logger="kiosk.core.limits"):
        limits.take(conn, "code", [three, ceiling], first)
        clock.advance(minutes=10)
        limits.take(conn, "code", [one, three, ceiling], clock.now())  # the cap of one is full now
        with pytest.raises(limits.Limited) as refused:
            limits.take(conn, "code", [one, three, ceiling], clock.now())
        assert refused.value.reason == "client" and refused.value.retry_at == clock.now() + limits.WINDOW
        clock.advance(minutes=10)
        limits.take(conn, "code", [three, ceiling], clock.now())  # the third and last of three
        assert not caplog.records
        with pytest.raises(limits.Limited) as refused:
            limits.take(conn, "code", [three, ceiling], clock.now())
        assert refused.value.reason == "device" and refused.value.retry_at == first + limits.WINDOW
        limits.take(conn, "code", [ceiling], clock.now())  # the fourth fills the installation's
        assert len(caplog.records) == 1
    counted = conn.execute("SELECT scope, count(*) FROM limit_events GROUP BY scope ORDER BY scope")
    assert [tuple(row) for row in counted] == [("all", 4), ("client", 1), ("device", 3)]
    clock.advance(minutes=41)  # an hour after the first count: its place is free again
    limits.take(conn, "code", [three], clock.now())
