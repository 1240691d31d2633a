"""Input the fuzz tests (tests/fuzz) found ending in a 500 or in the wrong kind of answer."""

from __future__ import annotations

import re

import pytest

KIOSK = "/k/suwon-station"


def token(client) -> str:
    page = client.get(f"{KIOSK}/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("sent", ["\x80", "토큰", "é" * 32])
def test_a_csrf_token_with_non_ascii_characters_is_the_csrf_answer_not_a_500(client, sent):
    token(client)  # the visitor has a session and a token
    response = client.post(f"{KIOSK}/prefs", data={"csrf_token": sent, "lang": "en"})
    assert response.status_code == 400 and "화면이 오래되어" in response.get_data(as_text=True)
    assert "lang=\"ko\"" in client.get(f"{KIOSK}/").get_data(as_text=True)  # nothing changed


def test_a_non_ascii_csrf_header_is_the_csrf_answer_not_a_500(client):
    token(client)
    response = client.post(f"{KIOSK}/reset", headers={"X-CSRF-Token": "\xe9t\xe9"})
    assert response.status_code == 400


def test_the_right_token_still_works(client):
    response = client.post(f"{KIOSK}/prefs", data={"csrf_token": token(client), "lang": "en", "next": f"{KIOSK}/"})
    assert response.status_code == 303


@pytest.mark.parametrize("path", ["/api/v1/openings/%C3%A4r%0A", "/api/v1/%0A", "/api/v1/openings%0A"])
def test_an_api_address_no_rule_can_match_is_still_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_search_longer_than_documented_is_refused_even_when_its_spaces_would_fold_it_shorter(client):
    longest = next(p for p in client.get("/api/v1/openapi.json").get_json()["paths"]["/openings"]["get"]["parameters"]
                   if p["name"] == "q")["schema"]["maxLength"]
    padded = "경비" + " \r\n" * longest  # folds to two characters
    response = client.get("/api/v1/openings", query_string={"q": padded})
    assert response.status_code == 400 and response.get_json()["error"]["parameters"] == ["q"]
    assert client.get("/api/v1/openings", query_string={"q": "경비  수원"}).status_code == 200


def test_a_kiosk_address_no_rule_can_match_is_that_kiosk_s_not_found_screen(client):
    response = client.get(f"{KIOSK}/openings%0A")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "찾으시는 화면이 없습니다" in page and "처음으로" in page
