"""The QR hand-off: an opening's kiosk detail carries a QR code of its public page, and that
page (/o/<id>) works on a phone without a session, for open and closed openings alike."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from support import make_app

from kiosk.core.db import transaction
from kiosk.openings import store as openings
from kiosk.outreach import qr, scans

KIOSK = "/k/suwon-station"
TODAY = date(2026, 11, 23)  # the conftest clock's day in Seoul
REPLY = "+15005550006"


@pytest.fixture
def app(database, clock, tmp_path):
    return make_app(database, clock, tmp_path, SMS_REPLY_NUMBER=REPLY)


def open_opening(conn) -> dict:
    return conn.execute("SELECT * FROM openings WHERE status = 'open' AND contact_phone LIKE '010%'"
                        " AND deadline IS NULL ORDER BY id LIMIT 1").fetchone()


def qr_url(html: str) -> str:
    return unescape(re.search(r'<svg class="qr"[^>]*data-url="([^"]+)"', html)[1])


def test_the_kiosk_detail_shows_a_qr_code_of_the_public_page(client, conn):
    o = open_opening(conn)
    html = client.get(f"{KIOSK}/openings/{o['id']}").get_data(as_text=True)
    url = qr_url(html)
    assert url == f"https://jobstop.example.kr/o/{o['id']}?qr=1"  # PUBLIC_URL, not the kiosk's address
    drawn = re.search(r'<svg class="qr".*?<path fill="#000000" d="([^"]+)"', html, re.S)[1]
    assert drawn == qr.drawing(url).path
    assert "/k/" not in url and "+82" not in url and "010" not in url


def test_an_open_opening_on_a_phone(client, conn):
    o = open_opening(conn)
    response = client.get(f"/o/{o['id']}?qr=1", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert 'name="viewport"' in html and o["title"] in html and o["how_to_apply"] in html
    assert o["address"] in html and "마감되었습니다" not in html
    digits = re.sub(r"\D", "", o["contact_phone"])[1:]
    assert f'href="tel:+82{digits}"' in html and f'href="sms:+82{digits}"' in html
    assert f'href="sms:{REPLY}?body=%EC%83%81%EB%8B%B4%20J{o["id"]}"' in html  # 상담 J<id>


def test_a_closed_opening_says_so_and_offers_similar_open_ones(client, conn, clock):
    o = open_opening(conn)
    with transaction(conn):
        openings.close(conn, o["id"], clock.now())
    html = client.get(f"/o/{o['id']}").get_data(as_text=True)
    assert "마감되었습니다" in html and "전화하기" not in html
    listed = html.split('<ul class="similar">', 1)[1].split("</ul>", 1)[0]
    similar = [int(i) for i in re.findall(r'href="/o/(\d+)\?lang=ko"', listed)]
    assert 1 <= len(similar) <= 3 and o["id"] not in similar
    for other in similar:
        row = openings.get(conn, other)
        assert row["status"] == "open" and row["occupation"] == o["occupation"]


def test_english_by_the_phone_or_by_the_switch(client, conn):
    o = open_opening(conn)
    by_phone = client.get(f"/o/{o['id']}", headers={"Accept-Language": "en-US,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="en">' in by_phone and "Call" in by_phone
    switched = client.get(f"/o/{o['id']}?lang=vi", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert '<html lang="vi">' in switched and "Gọi điện" in switched
    korean = client.get(f"/o/{o['id']}").get_data(as_text=True)
    assert '<html lang="ko">' in korean


def test_each_scan_is_counted_per_opening_and_day_and_nothing_else(client, conn, clock):
    o = open_opening(conn)
    before = conn.execute("SELECT count(*) FROM web_sessions").fetchone()[0]
    for _ in range(3):
        client.get(f"/o/{o['id']}?qr=1")
    client.get(f"/o/{o['id']}?lang=en")  # the page's own links are not scans
    assert scans.on_day(conn, o["id"], TODAY) == 3
    clock.advance(hours=24)
    client.get(f"/o/{o['id']}?qr=1")
    assert scans.on_day(conn, o["id"], TODAY) == 3 and scans.on_day(conn, o["id"], date(2026, 11, 24)) == 1
    assert conn.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == before


def test_an_unknown_opening_is_not_found(client):
    response = client.get("/o/999999999?qr=1")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers
