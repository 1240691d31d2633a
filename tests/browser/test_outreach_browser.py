"""Outreach in Chromium: the QR code on a kiosk's detail screen is followed to the opening's
public page on a phone-sized screen, which has no accessibility violations.

No camera and no QR decoder: the test reads the address the SVG was drawn from (its data-url),
draws that address again with segno (kiosk.outreach.qr) and checks the drawn modules are the
same as the page's, so the code a phone would scan carries exactly that address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_check import axe_violations
from support import ZONE

from kiosk.outreach import qr

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ko-KR",
                                  timezone_id=ZONE, base_url=live_server)
    yield context.new_page()
    context.close()


def followed(page, phone, opening_id: int) -> str:
    """Reads the QR code on the kiosk's detail screen and opens its address on the phone."""
    page.goto(f"/k/suwon-station/openings/{opening_id}")
    code = page.locator("svg.qr")
    url, drawn = code.get_attribute("data-url"), code.locator("path").get_attribute("d")
    assert drawn == qr.drawing(url).path  # the symbol on screen encodes exactly this address
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "https://jobstop.example.kr"  # the app's PUBLIC_URL
    phone.goto(f"{parts.path}?{parts.query}")
    return url


def test_the_qr_code_opens_the_opening_on_a_phone_without_violations(page, phone, conn):
    opening_id, title = conn.execute("SELECT id, title FROM openings WHERE status = 'open'"
                                     " AND contact_phone <> '' ORDER BY id LIMIT 1").fetchone()
    followed(page, phone, opening_id)
    assert phone.locator("h1").inner_text() == title
    assert phone.locator("a.button", has_text="전화하기").is_visible()
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="English").click()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert axe_violations(phone) == []


def test_a_closed_openings_page_on_a_phone_without_violations(page, phone, conn, clock):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("UPDATE openings SET status = 'closed' WHERE id = ?", (opening_id,))
    conn.commit()
    followed(page, phone, opening_id)
    assert "마감되었습니다" in phone.locator("main").inner_text()
    assert phone.locator("ul.similar a").count() >= 1
    assert axe_violations(phone) == []


def test_the_bus_kiosks_home_and_the_schedule_it_points_to_without_violations(page, phone):
    page.goto("/k/jobbus-1/")
    code = page.locator("section.bus-home svg.qr")
    url, drawn = code.get_attribute("data-url"), code.locator("path").get_attribute("d")
    assert drawn == qr.drawing(url).path and urlsplit(url).path == "/bus"
    assert page.locator("section.bus-home li").count() == 3
    assert axe_violations(page) == []
    phone.goto(urlsplit(url).path)
    assert phone.locator("ul.runs > li").count() >= 4
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(phone) == []
