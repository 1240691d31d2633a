"""The kiosk layout every screen shares: bar, preferences, idle reset, no caching."""

from __future__ import annotations

import re

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
