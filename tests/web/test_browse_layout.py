"""The kiosk layout every screen shares: bar, preferences, idle reset, no caching."""

from __future__ import annotations

import re
from urllib.parse import quote

KIOSK = "/k/suwon-station"


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_every_kiosk_screen_has_home_back_and_preferences(client):
    html = client.get(f"{KIOSK}/openings").get_data(as_text=True)
    assert f'href="{KIOSK}/"' in html
    assert "처음으로" in html and 'id="nav-back"' in html
    html = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert "처음으로" in html and 'id="nav-back"' not in html  # home has nowhere to go back to
    assert 'name="lang" value="en"' in html
    assert 'value="large_text"' in html and 'value="high_contrast"' in html
    assert 'id="idle-dialog"' in html and 'data-idle-seconds="90"' in html


def test_kiosk_screens_are_never_cached(client):
    assert client.get(f"{KIOSK}/").headers["Cache-Control"] == "no-store"


def test_language_switch_is_kept_in_the_session_and_returns_to_the_screen(client):
    token = csrf(client.get(f"{KIOSK}/").get_data(as_text=True))
    response = client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "en",
                                                   "next": f"{KIOSK}/openings?sort=closing"})
    assert response.status_code == 303
    assert response.location == f"{KIOSK}/openings?sort=closing"
    html = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert '<html lang="en"' in html and "Find jobs" in html


def test_toggles_flip_large_text_and_high_contrast(client):
    token = csrf(client.get(f"{KIOSK}/").get_data(as_text=True))
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "toggle": "large_text"})
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "toggle": "high_contrast"})
    html = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert re.search(r'<html[^>]*class="large-text high-contrast"', html)
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "toggle": "large_text"})
    html = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert "large-text" not in html.split(">", 2)[1]


def test_prefs_never_redirect_off_the_kiosk(client):
    token = csrf(client.get(f"{KIOSK}/").get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/", "/k/seoul-jobplus/", "/dev/sms"):
        response = client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "next": target})
        assert response.location == f"{KIOSK}/"


def test_prefs_need_the_csrf_token(client):
    client.get(f"{KIOSK}/")
    assert client.post(f"{KIOSK}/prefs", data={"lang": "en"}).status_code == 400
    assert '<html lang="ko"' in client.get(f"{KIOSK}/").get_data(as_text=True)


def test_reset_forgets_the_session_row_and_cookie(client, conn):
    token = csrf(client.get(f"{KIOSK}/").get_data(as_text=True))
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "en"})
    assert conn.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == 1
    response = client.post(f"{KIOSK}/reset", data={"csrf_token": token})
    assert response.status_code == 303 and response.location == f"{KIOSK}/"
    assert "session=;" in response.headers["Set-Cookie"]
    assert conn.execute("SELECT count(*) FROM web_sessions").fetchone()[0] == 0
    assert '<html lang="ko"' in client.get(f"{KIOSK}/").get_data(as_text=True)


def test_home_offers_features_only_once_they_exist(client):
    html = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert f'href="{KIOSK}/openings"' in html
    assert "구직 등록하기" in html and "상담 예약하기" in html


def own_values(response) -> dict[str, object]:
    """What of a list page belongs to its visitor and its response alone."""
    html = response.get_data(as_text=True)
    return {"tokens": set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
            | set(re.findall(r'"X-CSRF-Token": "([^"]+)"', html)),
            "visits": set(re.findall(r'data-visit="([^"]+)"', html)) | set(re.findall(r'var visit = "([^"]+)"', html)),
            "nonce": re.search(r'<script nonce="([^"]+)"', html).group(1),
            "next": set(re.findall(r'name="next" value="([^"]*)"', html)),
            "classes": re.search(r'<html[^>]*class="([^"]*)"', html).group(1),
            "policy": response.headers["Content-Security-Policy"]}


def test_the_kept_list_page_carries_each_visitors_own_token_mark_nonce_and_preferences(app):
    first, second = app.test_client(), app.test_client()
    url = f"{KIOSK}/openings?occupation=security&q=a%26b"
    seen = [own_values(first.get(url)), own_values(second.get(url)), own_values(first.get(url))]
    for values, client in zip(seen, (first, second, first), strict=True):
        with client.session_transaction() as session:
            assert values["tokens"] == {session["csrf"]} and values["visits"] == {session["visit"]}
        assert f"'nonce-{values['nonce']}'" in values["policy"]
        assert values["next"] == {"/k/suwon-station/openings?occupation=security&amp;q=a%26b"}
    assert seen[0]["tokens"] != seen[1]["tokens"] and seen[0]["visits"] != seen[1]["visits"]
    assert seen[0]["tokens"] == seen[2]["tokens"] and len({v["nonce"] for v in seen}) == 3

    first.post(f"{KIOSK}/prefs", data={"csrf_token": seen[0]["tokens"].pop(), "toggle": "large_text"})
    assert own_values(first.get(url))["classes"] == "large-text"
    assert own_values(second.get(url))["classes"] == ""
    html = first.get(f"{KIOSK}/openings?occupation=care").get_data(as_text=True)
    assert "JobStopHole" not in html and 'name="next" value="/k/suwon-station/openings?occupation=care"' in html


def test_the_kept_list_page_takes_no_typed_text_for_a_visitors_own_value(app):
    """Search terms (in "back" links too) that look like the layout's inner marks stay text."""
    client = app.test_client()
    for typed in ("JobStopHolecsrfQ7x", "JobStopHolevisitQ7x", "JobStopHolenonceQ7x", "JobStopHolezzQ7x"):
        url = f"{KIOSK}/openings?occupation=care&back=" + quote(f"q={typed}")
        answer = client.get(url)
        assert answer.status_code == 200
        html = answer.get_data(as_text=True)
        with client.session_transaction() as session:
            token, visit = session["csrf"], session["visit"]
        back = re.search(r'<a class="button" href="([^"]+)" id="nav-back"', html).group(1)
        assert back == f"{KIOSK}/openings?q={typed}"
        assert html.count(token) == len(re.findall(r'name="csrf_token"', html)) + 1  # + hx-headers
        assert html.count(visit) == 2
        nonce = re.search(r'<script nonce="([^"]+)"', html).group(1)
        assert html.count(nonce) == 1
