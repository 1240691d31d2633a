"""The kiosk's openings list and detail through the Flask test client: pages and fragments."""

from __future__ import annotations

import json
import re
from datetime import date

from markupsafe import escape
from support import make_app

from kiosk.http import usage
from kiosk.openings import store as openings

KIOSK = "/k/suwon-station"
TODAY = date(2026, 11, 23)  # the conftest clock's day in Seoul
HX = {"HX-Request": "true"}


def cards(html: str) -> list[int]:
    return [int(i) for i in re.findall(rf'href="{KIOSK}/openings/(\d+)', html)]


def regions_of(conn, ids: list[int]) -> list[str]:
    return [conn.execute("SELECT region FROM openings WHERE id = ?", (i,)).fetchone()[0] for i in ids]


def events(app, conn, kind: str) -> list[dict]:
    usage.flush(app)  # the app's process writes usage events in batches
    return [json.loads(r[0]) for r in conn.execute(
        "SELECT detail FROM usage_events WHERE kind = ? ORDER BY id", (kind,))]


def test_list_page_shows_the_kiosks_region_first(client, conn):
    response = client.get(f"{KIOSK}/openings")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]
    ids = cards(html)
    assert len(ids) == 20
    assert set(regions_of(conn, ids)) == {"41110"}  # Suwon has more than a page of openings
    total = openings.count_open(conn, openings.Filters(), TODAY)
    assert f"일자리 {total:,}건" in html


def test_list_fragment_for_htmx_is_the_browse_area_only(client):
    response = client.get(f"{KIOSK}/openings?occupation=care", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith('<div id="browse"')
    assert "HX-Request" in response.headers["Vary"]


def test_more_results_fragment_appends_the_next_page(client, conn):
    first = cards(client.get(f"{KIOSK}/openings").get_data(as_text=True))
    response = client.get(f"{KIOSK}/openings?page=2", headers={**HX, "HX-Target": "results"})
    html = response.get_data(as_text=True)
    second = cards(html)
    assert html.lstrip().startswith("<li id=\"opening-") and 'id="browse"' not in html
    assert len(second) == 20 and not set(first) & set(second)
    assert 'hx-swap-oob="true"' in html and "page=3" in html


def test_more_without_javascript_is_a_plain_link_to_the_next_page(client):
    html = client.get(f"{KIOSK}/openings").get_data(as_text=True)
    link = re.search(r'<a class="button" href="([^"]+page=2)" hx-get="([^"]+)"', html)
    assert link and link.group(1) == link.group(2)
    page2 = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "<html" in page2 and cards(page2) != cards(html)


def test_every_filter_is_a_plain_link_with_the_same_htmx_url(client):
    html = client.get(f"{KIOSK}/openings").get_data(as_text=True)
    choices = re.findall(r'<a class="button" href="([^"]+)" hx-get="([^"]+)" hx-target="#browse"', html)
    assert len(choices) > 13 + 4 + 4 + 2
    assert all(href == hx for href, hx in choices)
    for wanted in ("occupation=care", "region=41110", "employment_type=part_time", "min_wage=12000",
                   "sort=closing", "q=%EA%B2%BD%EB%B9%84"):
        assert any(wanted in href for href, _ in choices), wanted


def test_choosing_another_region_is_a_screen_of_its_own_that_keeps_the_filters(client):
    html = client.get(f"{KIOSK}/openings?occupation=care").get_data(as_text=True)
    link = re.search(r'href="([^"]*/openings/regions[^"]*)"', html).group(1).replace("&amp;", "&")
    page = client.get(link).get_data(as_text=True)
    assert "경기도" in page and "서울특별시" in page and "연천군" in page and "강남구" in page
    regions = re.findall(r'href="([^"]*region=\d+[^"]*)"', page)
    assert len(regions) == 56 and all("occupation=care" in r for r in regions)
    chosen = client.get(f"{KIOSK}/openings?occupation=care&region=11680").get_data(as_text=True)
    assert 'aria-current="true">강남구' in chosen


def test_filters_narrow_the_list(client, conn):
    url = f"{KIOSK}/openings?occupation=care&region=41280&employment_type=full_time&min_wage=11000"
    html = client.get(url).get_data(as_text=True)
    ids = cards(html)
    assert ids
    for i in ids:
        row = conn.execute("SELECT * FROM openings WHERE id = ?", (i,)).fetchone()
        assert (row["occupation"], row["region"], row["employment_type"]) == ("care", "41280", "full_time")
        assert row["hourly_wage"] >= 11000 and row["status"] == "open"
    assert 'aria-current="true">사회복지·돌봄' in html


def test_closing_soon_sorts_by_deadline_with_until_filled_last(client, conn):
    html = client.get(f"{KIOSK}/openings?sort=closing&region=41110").get_data(as_text=True)
    deadlines = [conn.execute("SELECT deadline FROM openings WHERE id = ?", (i,)).fetchone()[0]
                 for i in cards(html)]
    assert deadlines == sorted(deadlines, key=lambda d: d or "9999") and deadlines[0] >= "2026-11-23"


def test_search_shows_matches_and_is_recorded_without_personal_data(app, client, conn):
    html = client.get(f"{KIOSK}/openings?q=경비").get_data(as_text=True)
    assert "‘경비’ 검색 결과" in html
    for i in cards(html):
        row = conn.execute("SELECT * FROM openings WHERE id = ?", (i,)).fetchone()
        assert "경비" in row["title"] + row["employer"] + row["address"] + row["description"]
    client.get(f"{KIOSK}/openings?q=010-1234-5678")
    searches = events(app, conn, "search")
    assert searches[0] == {"q": "경비", "results": openings.count_open(conn, openings.Filters(q="경비"), TODAY)}
    assert searches[0]["results"] > 0
    assert "1234" not in json.dumps(searches[1]) and searches[1]["q"] == "#"


def test_no_results_says_so(client):
    html = client.get(f"{KIOSK}/openings?q=우주비행사").get_data(as_text=True)
    assert "조건에 맞는 일자리가 없습니다" in html and cards(html) == []
    assert 'id="more"' in html and "page=2" not in html


def test_bad_parameters_are_ignored_not_errors(client):
    response = client.get(f"{KIOSK}/openings?occupation=astronaut&region=99999&min_wage=lots&page=-3")
    assert response.status_code == 200 and len(cards(response.get_data(as_text=True))) == 20


def test_screen_views_and_filters_are_recorded(app, client, conn):
    client.get(f"{KIOSK}/")
    client.get(f"{KIOSK}/openings")
    client.get(f"{KIOSK}/openings?occupation=care")
    assert [e["screen"] for e in events(app, conn, "screen")] == ["home", "openings"]
    cared = openings.count_open(conn, openings.Filters(occupation="care"), TODAY)
    assert cared > 0 and events(app, conn, "filter") == [{"occupation": "care", "results": cared}]
    kiosk_codes = {r[0] for r in conn.execute("SELECT kiosk_code FROM usage_events")}
    assert kiosk_codes == {"suwon-station"}


def test_detail_shows_what_a_seeker_needs(client, conn):
    row = conn.execute("SELECT * FROM openings WHERE status = 'open' AND wage_kind = 'monthly'"
                       " AND deadline IS NOT NULL AND deadline > '2026-11-23' LIMIT 1").fetchone()
    response = client.get(f"{KIOSK}/openings/{row['id']}?q=경비&occupation=security")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for text in (row["title"], row["employer"], row["address"], row["work_hours"], row["work_days"],
                 row["how_to_apply"], f"{row['wage_amount']:,}원", f"J{row['id']}", "시급으로 약"):
        assert str(escape(text)) in html, text  # as the page writes it: 'quotes' escaped
    assert "일 남음" in html
    back = re.search(r'<a class="button" href="([^"]+)" id="nav-back">', html).group(1)
    assert back == f"{KIOSK}/openings?q=%EA%B2%BD%EB%B9%84&amp;occupation=security#opening-{row['id']}"
    assert "내 휴대폰으로 받기" in html and "상담사에게 물어보기" in html


def test_detail_fragment_for_htmx(client, conn):
    opening_id = conn.execute("SELECT id FROM openings LIMIT 1").fetchone()[0]
    html = client.get(f"{KIOSK}/openings/{opening_id}", headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<article id="opening"')


def test_closed_opening_says_closed_and_offers_no_actions(client, conn):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'closed' LIMIT 1").fetchone()[0]
    html = client.get(f"{KIOSK}/openings/{opening_id}").get_data(as_text=True)
    assert "마감된 일자리입니다" in html and "내 휴대폰으로 받기" not in html


def test_unknown_opening_is_a_korean_404(client):
    response = client.get(f"{KIOSK}/openings/999999")
    assert response.status_code == 404 and "찾으시는 화면이 없습니다" in response.get_data(as_text=True)


def test_english_list(client):
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get(f"{KIOSK}/").get_data(as_text=True)).group(1)
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "en"})
    html = client.get(f"{KIOSK}/openings?occupation=care").get_data(as_text=True)
    assert "Find jobs" in html and "Social welfare &amp; care" in html
    assert re.search(r"[\d,]+ openings · Suwon-si first<", html)


def test_search_box_fragment_is_the_results_only_and_moves_the_region_link(client):
    response = client.get(f"{KIOSK}/openings?q=경비&occupation=security",
                          headers={**HX, "HX-Target": "results-area"})
    html = response.get_data(as_text=True)
    assert 'id="browse"' not in html and 'class="filters"' not in html
    assert "‘경비’ 검색 결과" in html and len(cards(html)) > 0
    region_link = re.search(r'<a id="other-region"[^>]*>', html).group(0)
    assert 'hx-swap-oob="true"' in region_link
    assert "q=%EA%B2%BD%EB%B9%84" in region_link and "occupation=security" in region_link


def test_filter_links_take_the_search_box_along_for_htmx(client):
    html = client.get(f"{KIOSK}/openings?q=경비").get_data(as_text=True)
    link = re.search(r'href="([^"]*occupation=care[^"]*)" hx-get="([^"]*)" hx-target="#browse"'
                     r' hx-replace-url="true" hx-include="#q"', html)
    assert link, "the occupation link should include the search box"
    assert "q=" in link.group(1) and "q=" not in link.group(2)


def test_an_error_on_a_kiosk_offers_that_kiosks_home(client):
    html = client.get(f"{KIOSK}/openings/999999").get_data(as_text=True)
    assert f'href="{KIOSK}/"' in html and "처음으로" in html


def test_a_card_follows_its_opening_and_the_day(client, conn, clock):
    """Cards are rendered once and reused; an edit (even one that keeps updated_at) or a new
    day shows at once."""
    url = f"{KIOSK}/openings?sort=closing"
    ids = cards(client.get(url).get_data(as_text=True))
    left = {i: (date.fromisoformat(d) - TODAY).days for i, d in conn.execute(
        f"SELECT id, deadline FROM openings WHERE id IN ({','.join('?' * len(ids))})", ids)}
    first = next(i for i in ids if left[i] >= 2)
    days = left[first]
    conn.execute("UPDATE openings SET title = '야간 경비원 (수정됨)', wage_amount = 12345"
                 " WHERE id = ?", (first,))
    html = client.get(url).get_data(as_text=True)
    card = re.search(rf'href="{KIOSK}/openings/{first}\?sort=closing">(.*?)</a>', html, re.S)
    assert "야간 경비원 (수정됨)" in card.group(1) and "12,345원" in card.group(1)
    assert f"(D-{days})" in card.group(1)
    clock.advance(days=1)
    html = client.get(url).get_data(as_text=True)
    card = re.search(rf'href="{KIOSK}/openings/{first}\?sort=closing">(.*?)</a>', html, re.S)
    assert f"(D-{days - 1})" in card.group(1)


def test_a_search_shows_a_change_at_once_whichever_connection_made_it(app, client, conn):
    """The results of a search are kept until the database changes: a change by another
    connection (an import, the scheduler, another worker) or by the app's own shows at once."""
    url, hx = f"{KIOSK}/openings?q=경비", {**HX, "HX-Target": "results-area"}
    first = client.get(url, headers=hx).get_data(as_text=True)
    total = openings.count_open(conn, openings.Filters(q="경비"), TODAY)
    assert f"{total:,}건" in first and client.get(url, headers=hx).get_data(as_text=True) == first
    gone, other = cards(first)[:2]
    conn.execute("UPDATE openings SET status = 'closed' WHERE id = ?", (gone,))
    html = client.get(url, headers=hx).get_data(as_text=True)
    assert gone not in cards(html) and f"{total - 1:,}건" in html
    with app.app_context():
        from kiosk.http.db import get_db

        get_db().execute("UPDATE openings SET status = 'closed' WHERE id = ?", (other,))
    html = client.get(url, headers=hx).get_data(as_text=True)
    assert other not in cards(html) and f"{total - 2:,}건" in html


def test_a_kiosk_taken_out_of_service_answers_404_at_once(client, conn):
    assert client.get(f"{KIOSK}/openings").status_code == 200
    conn.execute("UPDATE kiosks SET active = 0 WHERE code = 'suwon-station'")
    assert client.get(f"{KIOSK}/openings").status_code == 404


def test_each_app_keeps_its_own_screens(app, database, clock, tmp_path):
    """Tests make many apps in one process: what one app keeps, another never sees."""
    other = make_app(database, clock, tmp_path / "other")
    assert app.test_client().get(f"{KIOSK}/openings").status_code == 200
    kept, untouched = app.extensions["kiosk_caches"], other.extensions["kiosk_caches"]
    assert len(kept.card_insides) == 20 and len(kept.list_parts) == 1 and len(kept.kiosks) == 1
    assert (len(untouched.card_insides), len(untouched.list_parts), len(untouched.kiosks)) == (0, 0, 0)


def test_a_kept_value_lasts_until_another_connection_changes_the_content(database):
    """The content version is the database's own: any connection's kept value serves every
    connection until some connection changes what the screens show; a session write does not."""
    from kiosk.core import db
    from kiosk.http.memo import Memo

    memo, reads = Memo(8), []
    first, second = db.connect(database), db.connect(database)
    try:
        def read() -> int:
            reads.append(1)
            return len(reads)

        assert [memo.get(c, "k", read) for c in (first, second)] == [1, 1]
        second.execute("INSERT INTO web_sessions (id, data, expires_at) VALUES ('s', '{}', '2099-01-01')")
        assert memo.get(first, "k", read) == 1  # a visitor's session is not content
        second.execute("UPDATE openings SET title = title || '!' WHERE id = (SELECT min(id) FROM openings)")
        assert memo.get(first, "k", read) == 2  # another connection changed an opening
        assert memo.get(second, "k", read) == 2
    finally:
        first.close()
        second.close()
