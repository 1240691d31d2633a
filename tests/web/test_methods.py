"""A method an address does not take: 405 with Allow, answered the way that address answers."""

from __future__ import annotations

import pytest

KIOSK = "/k/suwon-station"
ODD_METHODS = ["TRACE", "PROPFIND", "PUT", "PATCH", "DELETE", "FOO"]


VALUES = {"kiosk_code": "suwon-station", "opening_id": 1, "appointment_id": 1, "kind": "alerts",
          "name": "occupation", "filename": "css/kiosk.css", "lang": "ko", "speed": "normal", "token": "unknown",
          "account_id": 1, "run_id": 1, "seeker_id": 1, "referral_id": 1}


# the console's centers, kiosks and their devices, counselors
VALUES |= {"center_id": 1, "code": "suwon-station", "device_id": 1, "counselor_id": 1}
# a seeker's consultations and referrals to employers
VALUES |= {"consultation_id": 1, "placement_id": 1}


def every_address(app) -> dict[str, set[str]]:
    """Each address a real view serves (ids and names filled in) and the methods it takes."""
    adapter, addresses = app.url_map.bind("localhost"), {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("kiosk.unknown_screen", "api.unknown"):
            continue
        values = {name: "htmx.min.js" if rule.endpoint == "vendor.asset" else VALUES[name] for name in rule.arguments}
        path = adapter.build(rule.endpoint, values, method=sorted(rule.methods)[0])
        addresses.setdefault(path, set()).update(rule.methods)
    return addresses


def test_every_route_refuses_a_method_it_does_not_take_with_405_and_allow(app, client):
    for path, methods in every_address(app).items():
        for method in ODD_METHODS + ["GET", "POST"]:
            if method in methods:
                continue
            response = client.open(path, method=method)
            assert response.status_code == 405, (method, path, response.status_code)
            assert set(response.headers["Allow"].split(", ")) == methods, (method, path)


@pytest.mark.parametrize("method", ODD_METHODS + ["POST"])
def test_the_api_refuses_in_json(client, method):
    response = client.open("/api/v1/openings", method=method)
    assert response.status_code == 405 and response.is_json
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "POST", "PUT"])
def test_an_api_address_that_does_not_exist_is_a_json_404_whatever_the_method(client, method):
    response = client.open("/api/v1/nothing/here", method=method)
    assert response.status_code == 404 and response.is_json


def test_a_put_on_the_sms_webhook_is_405_not_400(client, conn):
    response = client.put("/sms/inbound", data={"MessageSid": "SM1", "From": "+821012345678", "Body": "STOP"})
    assert response.status_code == 405 and response.headers["Allow"] == "OPTIONS, POST"
    assert conn.execute("SELECT count(*) FROM sms_inbound").fetchone()[0] == 0


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "POST"])
def test_the_kiosk_refuses_on_its_own_screen_in_korean(client, method):
    response = client.open(f"{KIOSK}/openings", method=method)
    page = response.get_data(as_text=True)
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "이 화면에서는 할 수 없는 요청입니다" in page and "처음으로" in page  # the kiosk's layout
    assert "화면이 오래되어" not in page  # not the CSRF answer


def test_a_get_on_an_address_that_only_takes_post_is_405_not_not_found(client):
    response = client.get(f"{KIOSK}/reset")
    assert response.status_code == 405 and response.headers["Allow"] == "OPTIONS, POST"
    assert "이 화면에서는 할 수 없는 요청입니다" in response.get_data(as_text=True)


def test_the_refusal_is_in_the_visitor_s_language(client):
    home = client.get(f"{KIOSK}/").get_data(as_text=True)
    token = home.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post(f"{KIOSK}/prefs", data={"csrf_token": token, "lang": "en", "next": f"{KIOSK}/"})
    response = client.open(f"{KIOSK}/openings", method="PROPFIND")
    assert response.status_code == 405 and "That cannot be done on this screen" in response.get_data(as_text=True)


def test_a_post_to_a_kiosk_address_that_does_not_exist_is_not_found(client):
    response = client.post(f"{KIOSK}/no/such/screen")
    assert response.status_code == 404 and "찾으시는 화면이 없습니다" in response.get_data(as_text=True)


def test_a_refused_method_loses_nothing_the_visitor_chose(client):
    client.get(f"{KIOSK}/openings?occupation=security")
    client.open(f"{KIOSK}/openings", method="TRACE")
    page = client.get(f"{KIOSK}/").get_data(as_text=True)
    assert client.get(f"{KIOSK}/openings?occupation=security").status_code == 200 and "csrf_token" in page


def test_an_unknown_kiosk_refuses_with_the_plain_page(client):
    response = client.open("/k/no-such-kiosk/openings", method="TRACE")
    assert response.status_code == 405 and "이 화면에서는 할 수 없는 요청입니다" in response.get_data(as_text=True)


def test_a_real_form_without_its_token_is_still_the_csrf_answer(client):
    response = client.post(f"{KIOSK}/reset")
    assert response.status_code == 400 and "화면이 오래되어" in response.get_data(as_text=True)
