"""Input a person or a script can type that used to end in a 500: now a plain answer, nothing lost."""

from __future__ import annotations

import re

import pytest

from kiosk.core.formatting import whole_number

KIOSK = "/k/suwon-station"
TOO_BIG = str(2**63)  # one past the largest id the database holds


def token(client) -> str:
    page = client.get(f"{KIOSK}/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("text", ["²", "①", "٣", "1²", "", "-1", "1.5"])
def test_only_the_digits_0_to_9_make_a_number(text):
    assert whole_number(text) is None


def test_a_number_is_read_as_written():
    assert whole_number("0042") == 42


@pytest.mark.parametrize("query", ["page=²", "page=①", "min_wage=①", "min_wage=²0000", "page=٣"])
def test_odd_digits_in_a_list_address_get_the_first_page_of_the_list(client, query):
    response = client.get(f"{KIOSK}/openings?{query}")
    assert response.status_code == 200
    cards = re.findall(r'id="opening-(\d+)"', response.get_data(as_text=True))
    plain = re.findall(r'id="opening-(\d+)"', client.get(f"{KIOSK}/openings").get_data(as_text=True))
    assert len(cards) == 20 and cards == plain  # read as no page or wage given, not as 2 or 20,000


@pytest.mark.parametrize("query", ["per_page=²", "page=①", "min_wage=①"])
def test_odd_digits_on_the_api_are_a_json_400(client, query):
    response = client.get(f"/api/v1/openings?{query}")
    assert response.status_code == 400
    assert response.is_json


@pytest.mark.parametrize("path", [f"{KIOSK}/openings/{TOO_BIG}", f"{KIOSK}/openings/{TOO_BIG}/send",
                                  f"{KIOSK}/openings/{TOO_BIG}/save", f"{KIOSK}/booking/{TOO_BIG}",
                                  f"{KIOSK}/openings/0"])
def test_an_id_past_the_database_is_the_kiosk_s_not_found_screen(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "찾으시는 화면이 없습니다" in response.get_data(as_text=True)
    assert "nav-back" in response.get_data(as_text=True) or "처음으로" in response.get_data(as_text=True)


def test_a_too_big_id_on_the_api_is_a_json_404(client):
    response = client.get(f"/api/v1/openings/{TOO_BIG}")
    assert response.status_code == 404 and response.is_json


def test_removing_a_saved_opening_with_a_too_big_id_is_no_500(client):
    response = client.post(f"{KIOSK}/my/saved/{TOO_BIG}/remove", data={"csrf_token": token(client)})
    assert response.status_code == 303 and response.headers["Location"] == f"{KIOSK}/my"


@pytest.mark.parametrize("target", [f"{KIOSK}/../../dev/sms", f"{KIOSK}/openings/../../../dev/sms",
                                    f"{KIOSK}/\r\nSet-Cookie: x=1", f"{KIOSK}/openings\n",
                                    "//elsewhere.example/", "https://elsewhere.example/k/suwon-station/"])
def test_a_language_change_never_leaves_the_kiosk(client, target):
    response = client.post(f"{KIOSK}/prefs", data={"csrf_token": token(client), "lang": "en", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{KIOSK}/"


def test_a_language_change_returns_to_the_screen_with_its_filters(client):
    target = f"{KIOSK}/openings/../openings?occupation=security"
    response = client.post(f"{KIOSK}/prefs", data={"csrf_token": token(client), "lang": "en", "next": target})
    assert response.headers["Location"] == f"{KIOSK}/openings?occupation=security"
