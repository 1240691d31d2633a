"""The kiosk's home tells where its center is, its hours today and whether counselors are on shift."""

from __future__ import annotations

import re

from kiosk.core.db import transaction
from kiosk.places import centers

STATION, CITY, BUS = "/k/suwon-station", "/k/suwon-center", "/k/jobbus-1"


def place(client, kiosk: str) -> str:
    """The home's center section, as text."""
    html = client.get(f"{kiosk}/").text
    section = re.search(r'<section class="home-place".*?</section>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def test_the_station_booth_shows_where_it_is_its_hours_and_that_counselors_are_in(client):
    # Monday 10:00 in Seoul: the booth's first shift (08:00-15:00) runs, then the second until 22:00.
    text = place(client, STATION)
    assert "수원역 일자리센터 상담부스" in text and "덕영대로 924" in text
    assert "찾아오시는 길 수원역 2층 맞이방, 4번 출구 쪽" in text
    assert "오늘 운영 시간 오전 8:00~오후 10:00" in text
    assert "지금 상담사가 근무 중입니다" in text and "예약 없이 찾아오셔도" in text


def test_after_hours_the_home_says_no_one_is_on_shift(client, clock):
    clock.set("2026-11-23T13:30:00Z")  # 22:30 in Seoul
    text = place(client, STATION)
    assert "지금은 상담 시간이 아닙니다" in text and "예약 없이" not in text


def test_a_city_center_is_closed_at_the_weekend(client, clock):
    clock.set("2026-11-28T02:00:00Z")  # Saturday 11:00
    text = place(client, CITY)
    assert "오늘은 상담을 하지 않습니다" in text and "근무 중" not in text


def test_the_job_bus_sends_visitors_to_its_partner_center(client):
    text = place(client, BUS)
    assert "상담은 수원시 일자리센터(031-228-2000)에서 받으실 수 있습니다" in text
    assert "오늘은 상담을 하지 않습니다" in text


def test_a_change_to_the_center_shows_at_the_next_visit(client, conn):
    place(client, STATION)  # read once, so a cached copy exists
    booth = centers.by_name(conn, "수원역 일자리센터 상담부스")["id"]
    with transaction(conn):
        centers.set_directions(conn, booth, "1층 대합실 안내데스크 옆")
        conn.execute("UPDATE counselors SET active = 0 WHERE center_id = ?", (booth,))
    text = place(client, STATION)
    assert "1층 대합실 안내데스크 옆" in text and "지금은 상담 시간이 아닙니다" in text


def test_the_words_are_in_the_visitors_language_and_korean_names_stay_marked(client):
    page = client.get(f"{STATION}/register")
    form = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post(f"{STATION}/prefs", data={"csrf_token": form, "lang": "vi"})
    html = client.get(f"{STATION}/").text
    assert "Hiện có tư vấn viên đang làm việc" in html and "Giờ mở cửa hôm nay" in html
    assert '<dd lang="ko">수원역 2층 맞이방' in html
