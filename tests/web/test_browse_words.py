"""What the openings screens say, in Korean and English: cards, counts, days, search help."""

from __future__ import annotations

import re
from datetime import date, timedelta

from kiosk.core.formatting import schedule
from kiosk.openings import store as openings

KIOSK = "/k/suwon-station"
TODAY = date(2026, 11, 23)


def english(client) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(f"{KIOSK}/").get_data(as_text=True)).group(1)
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "en"})


def card(html: str, opening_id: int) -> str:
    return re.search(rf'<li id="opening-{opening_id}">(.*?)</li>', html, re.S).group(1)


def test_working_days_and_hours_read_in_english():
    assert schedule("월~금", "en") == "Mon–Fri"
    assert schedule("토·일", "en") == "Sat·Sun"
    assert schedule("격일", "en") == "Every other day"
    assert schedule("월~토 (격주 토요일)", "en") == "Mon–Sat (alternate Saturdays)"
    assert schedule("주 5일 (주말 포함)", "en") == "5 days a week (weekends included)"
    assert schedule("09:00~익일 09:00 (휴게 8시간)", "en") == "09:00–next day 09:00 (8-hour break)"
    assert schedule("월~금", "ko") == "월~금"
    assert schedule("월급 협의 후 결정", "en") == "월급 협의 후 결정"  # unknown words: as written


def test_a_card_shows_the_occupation_group_and_working_days(client, conn):
    row = conn.execute("SELECT * FROM openings WHERE status = 'open' AND region = '41110'"
                       " AND work_days = '월~금' ORDER BY posted_on DESC, id DESC LIMIT 1").fetchone()
    url = f"{KIOSK}/openings?region=41110&occupation={row['occupation']}"
    korean = card(client.get(url).get_data(as_text=True), row["id"])
    assert '<span class="tag">' in korean and openings_group(row["occupation"], "ko") in korean
    assert f"{row['work_hours']} · 월~금 · " in korean
    english(client)
    text = card(client.get(url).get_data(as_text=True), row["id"])
    assert openings_group(row["occupation"], "en").replace("&", "&amp;") in text
    assert " · Mon–Fri · closes " in text and "월~금" not in text


def openings_group(code: str, lang: str) -> str:
    from kiosk.core.i18n import translate

    return translate(f"occupation.{code}", lang)


def test_one_of_something_is_singular_in_english(client, conn):
    term = next(name for (name,) in conn.execute(
        "SELECT employer FROM openings WHERE status = 'open' GROUP BY employer HAVING count(*) = 1")
        if openings.count_open(conn, openings.Filters(q=name), TODAY) == 1)
    _total, (row,) = openings.find_open(conn, openings.Filters(q=term), TODAY, limit=2)
    conn.execute("UPDATE openings SET deadline = ? WHERE id = ?",
                 ((TODAY + timedelta(days=1)).isoformat(), row["id"]))
    english(client)
    html = client.get(f"{KIOSK}/openings?q={term}").get_data(as_text=True)
    assert f"1 opening for ‘{term}’" in html and "1 openings" not in html
    assert "(1 day)" in card(html, row["id"])
    detail = client.get(f"{KIOSK}/openings/{row['id']}").get_data(as_text=True)
    assert "1 day left" in detail and "1 days" not in detail


def test_english_count_names_the_region_once_and_quick_terms_are_translated(client):
    english(client)
    html = client.get(f"{KIOSK}/openings").get_data(as_text=True)
    assert re.search(r"[\d,]+ openings · Suwon-si first</p>", html)
    assert re.search(r'href="[^"]*q=%EA%B2%BD%EB%B9%84[^"]*"[^>]*>Security \(경비\)</a>', html)
    assert "Yes, continue" in html


def test_the_detail_deadline_has_one_pair_of_parentheses(client, conn):
    row = conn.execute("SELECT * FROM openings WHERE status = 'open' AND deadline = ?",
                       ((TODAY + timedelta(days=5)).isoformat(),)).fetchone()
    html = client.get(f"{KIOSK}/openings/{row['id']}").get_data(as_text=True)
    assert "2026년 11월 28일 (토) · 5일 남음" in html and ") (" not in html


def test_a_term_with_spaces_that_finds_nothing_offers_it_without_spaces(client, conn):
    spaced = openings.count_open(conn, openings.Filters(q="요양 보호사"), TODAY)
    joined = openings.count_open(conn, openings.Filters(q="요양보호사"), TODAY)
    assert spaced == 0 and joined > 0  # search stays an exact substring match
    html = client.get(f"{KIOSK}/openings?q=요양 보호사").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]+)"[^>]*>띄어쓰기 없이 ‘요양보호사’ 검색 \(([\d,]+)건\)</a>',
                     html)
    assert link and int(link.group(2).replace(",", "")) == joined
    assert "q=%EC%9A%94%EC%96%91%EB%B3%B4%ED%98%B8%EC%82%AC" in link.group(1)
    results = client.get(f"{KIOSK}/openings?q=요양 보호사",
                         headers={"HX-Request": "true", "HX-Target": "results-area"})
    assert "띄어쓰기 없이" in results.get_data(as_text=True)


def test_nothing_found_offers_next_steps_as_big_buttons(client):
    html = client.get(f"{KIOSK}/openings?q=우주비행사&occupation=care").get_data(as_text=True)
    assert "띄어쓰기 없이" not in html
    steps = re.findall(r'<a class="button big[^"]*" href="([^"]+)"[^>]*>([^<]+)', html)
    labels = [label.strip() for _, label in steps]
    assert labels == ["조건 지우고 모든 일자리 보기", "맞춤 일자리 문자 받기", "상담 예약하기"]
    assert steps[0][0].startswith(f"{KIOSK}/openings?back=")  # no filter left, only the trail
    assert steps[1][0] == f"{KIOSK}/register" and steps[2][0] == f"{KIOSK}/booking"


def test_filter_headers_say_they_open(client):
    html = client.get(f"{KIOSK}/openings").get_data(as_text=True)
    summaries = re.findall(r"<summary>(.*?)</summary>", html, re.S)
    assert len(summaries) == 3 and all("바꾸기" in s and "▾" in s and "▴" in s for s in summaries)


def test_regions_are_in_the_readers_order(client):
    html = client.get(f"{KIOSK}/openings/regions").get_data(as_text=True)
    gyeonggi = re.findall(r'region=41\d+[^>]*>([^<]+)</a>', html)
    assert gyeonggi[:3] == ["가평군", "고양시", "과천시"] and gyeonggi == sorted(gyeonggi)
    english(client)
    html = client.get(f"{KIOSK}/openings/regions").get_data(as_text=True)
    seoul = re.findall(r'region=11\d+[^>]*>([^<]+)</a>', html)
    assert seoul[0] == "Dobong-gu" and seoul == sorted(seoul)


def test_home_invites_a_choice_once_the_screen_is_on(client):
    html = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert "원하시는 메뉴를 누르세요" in html and "화면을 눌러 시작하세요" not in html
    assert 'class="muted home-help"' in html
