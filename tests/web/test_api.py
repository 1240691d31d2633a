"""The read-only JSON API for partner sites and signage."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk import api
from kiosk.openings import store as openings

TODAY = date(2026, 11, 23)


def test_list_returns_total_and_items_with_the_documented_fields(client, conn):
    response = client.get("/api/v1/openings")
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert body["total"] == openings.count_open(conn, openings.Filters(), TODAY)
    assert len(body["items"]) == 20 and body["page"] == 1 and body["per_page"] == 20
    item = body["items"][0]
    for key in ("id", "title", "employer", "region", "occupation", "wage", "employment_type",
                "posted_on", "deadline"):
        assert key in item, key
    row = conn.execute("SELECT * FROM openings WHERE id = ?", (item["id"],)).fetchone()
    assert item["title"] == row["title"] and item["region"]["code"] == row["region"]
    assert item["wage"] == {"kind": row["wage_kind"], "amount": row["wage_amount"],
                            "hourly_equivalent": row["hourly_wage"], "currency": "KRW"}
    posted = [i["posted_on"] for i in body["items"]]
    assert posted == sorted(posted, reverse=True)


def test_list_filters_and_search(client, conn):
    body = client.get("/api/v1/openings?q=경비&region=41110&occupation=security&per_page=100").get_json()
    assert body["total"] == len(body["items"]) > 0
    for item in body["items"]:
        assert item["region"]["code"] == "41110" and item["occupation"]["code"] == "security"
    expected = {r["id"] for r in conn.execute(
        "SELECT * FROM openings WHERE status = 'open' AND (deadline IS NULL OR deadline >= ?)"
        " AND region = '41110' AND occupation = 'security'", (TODAY.isoformat(),))
        if "경비" in "\n".join((r["title"], r["employer"], r["address"], r["description"]))}
    assert {item["id"] for item in body["items"]} == expected


def test_pages_cover_every_match_once(client):
    first = client.get("/api/v1/openings?occupation=it&region=41130&per_page=3").get_json()
    seen = []
    for page in range(1, first["total"] // 3 + 2):
        seen += [i["id"] for i in client.get(
            f"/api/v1/openings?occupation=it&region=41130&per_page=3&page={page}").get_json()["items"]]
    assert len(seen) == len(set(seen)) == first["total"]
    assert client.get("/api/v1/openings?per_page=3&page=9999").get_json()["items"] == []


def test_detail(client, conn):
    row = conn.execute("SELECT * FROM openings WHERE status = 'closed' LIMIT 1").fetchone()
    body = client.get(f"/api/v1/openings/{row['id']}").get_json()
    assert body["id"] == row["id"] and body["status"] == "closed" and body["code"] == f"J{row['id']}"
    assert body["how_to_apply"] == row["how_to_apply"] and body["address"] == row["address"]


@pytest.mark.parametrize(("query", "names"), [
    ("page=0", ["page"]), ("page=x", ["page"]), ("per_page=101", ["per_page"]),
    ("per_page=0", ["per_page"]), ("region=99999", ["region"]), ("occupation=pilot", ["occupation"]),
    ("q=" + "가" * 51, ["q"]), ("region=1&page=-1", ["region", "page"]),
])
def test_bad_parameters_get_400_with_a_json_error(client, query, names):
    response = client.get(f"/api/v1/openings?{query}")
    assert response.status_code == 400 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "bad_parameter" and error["parameters"] == names


def test_errors_are_json(client):
    for url in ("/api/v1/openings/999999", "/api/v1/nothing", "/api/v1/"):
        response = client.get(url)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    response = client.post("/api/v1/openings")
    assert response.status_code == 405 and response.is_json and "GET" in response.headers["Allow"]


def test_items_name_their_employment_type_like_region_and_occupation(client, conn):
    item = client.get("/api/v1/openings?employment_type=part_time&per_page=1").get_json()["items"][0]
    assert item["employment_type"] == {"code": "part_time", "name": "시간제"}
    assert item["region"]["name"] and item["occupation"]["name"]
    detail = client.get(f"/api/v1/openings/{item['id']}").get_json()
    assert detail["employment_type"] == item["employment_type"]


@pytest.mark.parametrize(("url", "names", "allowed"), [
    ("/api/v1/openings?occupaton=care", ["occupaton"], list(api.LIST_PARAMETERS)),
    ("/api/v1/openings?region=41110&Region=41110&perpage=5", ["Region", "perpage"],
     list(api.LIST_PARAMETERS)),
    ("/api/v1/openings/1?lang=en", ["lang"], []),
])
def test_unknown_parameters_get_400_naming_them_and_the_allowed_ones(client, url, names, allowed):
    response = client.get(url)
    assert response.status_code == 400 and response.is_json
    error = response.get_json()["error"]
    assert error["code"] == "unknown_parameter" and error["parameters"] == names
    assert error["allowed"] == allowed
    assert names[0] in error["message"]


@pytest.mark.parametrize("query", ["region=41110&region=41130", "q=경비&q=", "page=1&page=1"])
def test_a_repeated_parameter_gets_400_naming_it(client, query):
    response = client.get(f"/api/v1/openings?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "repeated_parameter" and error["parameters"] == [query.split("=")[0]]


@pytest.mark.parametrize("url", ["/api/v1/openings", "/api/v1/openings/1", "/api/v1/openings?page=0",
                                 "/api/v1/openings/999999", "/api/v1/nothing"])
def test_every_answer_may_be_read_by_any_web_page(client, url):
    response = client.get(url, headers={"Origin": "https://partner.example.kr"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_cors_preflight_is_answered_for_get_only(client):
    response = client.options("/api/v1/openings?occupation=care", headers={
        "Origin": "https://partner.example.kr", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "x-requested-with, cache-control"})
    assert response.status_code == 204 and response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response.headers["Access-Control-Allow-Headers"] == "x-requested-with, cache-control"
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    odd = client.options("/api/v1/openings/1", headers={"Access-Control-Request-Method": "DELETE",
                                                         "Access-Control-Request-Headers": "x y;z"})
    assert odd.status_code == 204 and "DELETE" not in odd.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Headers" not in odd.headers
    assert client.delete("/api/v1/openings/1").status_code == 405


def test_json_is_utf8_not_escaped(client, conn):
    response = client.get("/api/v1/openings?per_page=1")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    title = response.get_json()["items"][0]["title"]
    assert title.encode() in response.data and b"\\u" not in response.data
    error = client.get("/api/v1/openings?q=" + "가" * 51)
    assert error.headers["Content-Type"] == "application/json; charset=utf-8"


def test_kiosk_screens_do_not_get_the_apis_cors_header(client):
    for url in ("/healthz", "/k/suwon-station/"):
        assert "Access-Control-Allow-Origin" not in client.get(url).headers
