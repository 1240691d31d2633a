"""The job bus's public schedule (/bus) and the bus kiosk's home that shows it."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from kiosk.core.db import transaction
from kiosk.outreach import qr, runs

TODAY = date(2026, 11, 23)  # the conftest clock's day in Seoul


def places(html: str) -> list[str]:
    return re.findall(r'<strong lang="ko">([^<]+)</strong>', html)


def test_the_schedule_lists_coming_stops_soonest_first_without_a_session(client, conn, clock):
    coming = runs.coming(conn, TODAY)
    with transaction(conn):
        runs.cancel(conn, coming[1]["id"], clock.now())
    response = client.get("/bus", headers={"Accept-Language": "ko"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert places(html) == [unescape(r["place"]) for r in coming if r["id"] != coming[1]["id"]]
    assert "11월 25일(수) 오전 10:00~오후 4:00" in html and "용인시 일자리센터 031-324-2000" in html
    aboard = {c["name"] for r in coming for c in runs.counselors_aboard(conn, r["id"])}
    assert aboard and not any(name in html for name in aboard)  # no one's name on a public page


def test_the_schedule_in_english_and_once_a_day_is_past(client, clock):
    english = client.get("/bus", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Job bus schedule" in english and "Wed, Nov 25" in english
    clock.advance(days=3)  # Thursday 26th: Wednesday's run is over
    later = client.get("/bus?lang=ko").get_data(as_text=True)
    assert "용인공용버스터미널" not in later and "11월 26일(목)" in later and "오늘" in later


def test_the_bus_kiosk_home_shows_its_next_stops_and_the_schedules_qr_code(client, conn):
    html = client.get("/k/jobbus-1/").get_data(as_text=True)
    section = html.split('<section class="bus-home', 1)[1].split("</section>", 1)[0]
    assert "다음 운행" in section and "용인공용버스터미널 앞" in section and "부천역" not in section  # three shown
    url = re.search(r'data-url="([^"]+)"', section)[1]
    assert url == "https://jobstop.example.kr/bus"
    assert re.search(r'<path fill="#000000" d="([^"]+)"', section)[1] == qr.drawing(url).path
    assert "bus-home" not in client.get("/k/suwon-station/").get_data(as_text=True)


def test_on_a_run_day_the_bus_home_says_where_it_is(client, clock):
    clock.advance(days=2)  # Wednesday 25th, the run at 용인
    html = client.get("/k/jobbus-1/").get_data(as_text=True)
    section = html.split('<section class="bus-home', 1)[1].split("</section>", 1)[0]
    assert "오늘 일자리버스는 여기 있습니다" in section
    assert "용인공용버스터미널 앞</strong> · 용인시 · 오전 10:00~오후 4:00" in section
