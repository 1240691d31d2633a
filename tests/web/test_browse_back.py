"""Back, home and errors on the kiosk's openings screens (Flask test client).

"Back" follows the lists of this visit (carried in the URL, so it works without JavaScript);
back from a detail returns to the same list with as many results loaded; an error on a
kiosk screen keeps the kiosk's layout, language and idle reset.
"""

from __future__ import annotations

import re
from html import unescape

from support import make_app

KIOSK = "/k/suwon-station"


def back_of(html: str) -> str | None:
    found = re.search(r'<a class="button" href="([^"]+)" id="nav-back"', html)
    return unescape(found.group(1)) if found else None


def link_to(html: str, label: str) -> str:
    """The plain href of the filter link with this label."""
    return unescape(re.search(rf'<a class="button" href="([^"]+)"[^>]*>{re.escape(label)}</a>',
                              html).group(1))


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_home_has_no_back_and_the_first_list_goes_back_home(client):
    assert back_of(client.get(f"{KIOSK}/").get_data(as_text=True)) is None
    assert back_of(client.get(f"{KIOSK}/openings").get_data(as_text=True)) == f"{KIOSK}/"


def test_back_walks_the_lists_of_this_visit_without_javascript(client):
    first = client.get(f"{KIOSK}/openings").get_data(as_text=True)
    care_url = link_to(first, "사회복지·돌봄")
    care = client.get(care_url).get_data(as_text=True)
    part_time_url = link_to(care, "시간제")
    part_time = client.get(part_time_url).get_data(as_text=True)
    assert "occupation=care" in part_time_url and "employment_type=part_time" in part_time_url

    back = back_of(part_time)
    assert back.startswith(f"{KIOSK}/openings?occupation=care")
    again = client.get(back).get_data(as_text=True)
    assert 'aria-current="true">사회복지·돌봄' in again
    assert 'aria-current="true">시간제' not in again
    assert back_of(again) == f"{KIOSK}/openings"  # the unfiltered list, then home
    assert back_of(client.get(back_of(again)).get_data(as_text=True)) == f"{KIOSK}/"


def test_an_htmx_filter_moves_the_bars_back_button_too(client):
    html = client.get(f"{KIOSK}/openings?occupation=care&back=", headers={"HX-Request": "true"}
                      ).get_data(as_text=True)
    oob = re.search(r'<a class="button" href="([^"]+)" id="nav-back" hx-swap-oob="true">', html)
    assert oob and unescape(oob.group(1)) == f"{KIOSK}/openings"


def test_a_search_from_the_box_carries_this_list_as_its_back(client):
    html = client.get(f"{KIOSK}/openings?occupation=care").get_data(as_text=True)
    form = re.search(r'<form class="search-form".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="occupation" value="care">' in form
    assert '<input type="hidden" name="back" value="occupation=care">' in form
    searched = client.get(f"{KIOSK}/openings?occupation=care&q=경비&back=occupation%3Dcare")
    assert back_of(searched.get_data(as_text=True)) == f"{KIOSK}/openings?occupation=care"


def test_a_forged_back_value_is_rebuilt_from_valid_filters_only(client):
    html = client.get(f"{KIOSK}/openings?back=occupation%3Dcare%26x%3D%22%3E%3Cscript%3E"
                      "&back=https://evil.example/").get_data(as_text=True)
    assert back_of(html) == f"{KIOSK}/openings?occupation=care&back="
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_back_from_a_detail_returns_to_the_same_list_with_the_same_results_loaded(client):
    url = f"{KIOSK}/openings?occupation=security&page=3"
    more = client.get(url, headers={"HX-Request": "true", "HX-Target": "results"}
                      ).get_data(as_text=True)
    opening_id, detail = re.search(r'<li id="opening-(\d+)"><a class="card opening-card" href="([^"]+)"',
                                   more).groups()
    assert unescape(detail) == f"{KIOSK}/openings/{opening_id}?occupation=security&page=3"

    page = client.get(unescape(detail)).get_data(as_text=True)
    back = back_of(page)
    assert back == f"{KIOSK}/openings?occupation=security&page=3#opening-{opening_id}"
    assert f'href="{back.replace("&", "&amp;")}">목록으로 돌아가기' in page

    listed = client.get(back.split("#")[0]).get_data(as_text=True)
    assert len(re.findall(r'<li id="opening-', listed)) == 60  # pages 1, 2 and 3
    assert f'<li id="opening-{opening_id}">' in listed
    assert "page=4" in listed  # "more" goes on from there


def test_a_list_shows_at_most_ten_pages_at_once(client):
    html = client.get(f"{KIOSK}/openings?page=30").get_data(as_text=True)
    assert len(re.findall(r'<li id="opening-', html)) == 200


def test_back_from_a_detail_keeps_the_trail_of_earlier_lists(client, conn):
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    html = client.get(f"{KIOSK}/openings/{opening_id}?q=경비&back=occupation%3Dcare"
                      ).get_data(as_text=True)
    back = back_of(html)
    assert back == f"{KIOSK}/openings?q=%EA%B2%BD%EB%B9%84&back=occupation%3Dcare#opening-{opening_id}"
    assert back_of(client.get(back.split("#")[0]).get_data(as_text=True)) == \
        f"{KIOSK}/openings?occupation=care"


def test_the_region_screen_goes_back_to_the_list_as_it_was(client):
    html = client.get(f"{KIOSK}/openings/regions?occupation=care&back=").get_data(as_text=True)
    assert back_of(html) == f"{KIOSK}/openings?occupation=care&back="
    gangnam = link_to(html, "강남구")
    assert "region=11680" in gangnam and "back=occupation%3Dcare" in gangnam


def test_a_stale_opening_is_a_kiosk_screen_with_back_to_its_list(client):
    response = client.get(f"{KIOSK}/openings/999999?occupation=care&page=2")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and response.headers["Cache-Control"] == "no-store"
    assert "찾으시는 화면이 없습니다" in html
    assert 'id="idle-dialog"' in html and 'data-idle-seconds="90"' in html
    assert 'name="lang" value="en"' in html and "처음으로" in html
    assert back_of(html) == f"{KIOSK}/openings?occupation=care&page=2"


def test_an_unknown_address_on_a_kiosk_is_that_kiosks_screen_in_its_language(client):
    token = csrf(client.get(f"{KIOSK}/").get_data(as_text=True))
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "en"})
    response = client.get(f"{KIOSK}/no/such/screen")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and '<html lang="en"' in html
    assert "That screen does not exist." in html and 'id="idle-dialog"' in html
    assert back_of(html) == f"{KIOSK}/"


def test_an_unknown_kiosk_still_gets_the_plain_error_page(client):
    html = client.get("/k/nowhere/openings/1").get_data(as_text=True)
    assert "찾으시는 화면이 없습니다" in html and 'id="idle-dialog"' not in html


def test_a_refused_form_is_a_kiosk_screen(client):
    client.get(f"{KIOSK}/")
    response = client.post(f"{KIOSK}/prefs", data={"lang": "en", "csrf_token": "forged"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "다시 시도해 주세요" in html
    assert 'id="idle-dialog"' in html and 'id="idle-reset"' in html and back_of(html) == f"{KIOSK}/"


def test_a_fault_is_a_kiosk_screen_with_the_idle_reset(database, clock, tmp_path, conn):
    app = make_app(database, clock, tmp_path, PROPAGATE_EXCEPTIONS=False)
    opening_id = conn.execute("SELECT id FROM openings WHERE status = 'open' LIMIT 1").fetchone()[0]
    conn.execute("UPDATE openings SET deadline = 'someday' WHERE id = ?", (opening_id,))
    response = app.test_client().get(f"{KIOSK}/openings/{opening_id}?region=41110")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "잠시 문제가 생겼습니다" in html
    assert 'id="idle-dialog"' in html and back_of(html) == f"{KIOSK}/openings?region=41110"


def test_cards_and_more_on_a_list_with_a_trail_carry_it(client):
    html = client.get(f"{KIOSK}/openings?occupation=security&back=occupation%3Dcare"
                      ).get_data(as_text=True)
    opening_id, detail = re.search(r'<li id="opening-(\d+)"><a class="card opening-card" href="([^"]+)"',
                                   html).groups()
    assert unescape(detail) == f"{KIOSK}/openings/{opening_id}?occupation=security&back=occupation%3Dcare"
    more = re.search(r'<div id="more" class="more">\s*<a class="button" href="([^"]+)"', html).group(1)
    assert unescape(more) == f"{KIOSK}/openings?occupation=security&page=2&back=occupation%3Dcare"
