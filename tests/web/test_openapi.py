"""/api/v1/openapi.json describes the API as it is: each documented path is served, each API
route is documented, and the parameters are the ones the API reads."""

from __future__ import annotations

import re

from kiosk import api
from kiosk.core.regions import OCCUPATIONS, REGIONS

PREFIX = "/api/v1"


def description(client) -> dict:
    response = client.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def api_routes(app) -> set[str]:
    """The API's routes in OpenAPI's spelling (/openings/{opening_id}), leaving out its catch-all."""
    return {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(PREFIX))
            for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown"}


def test_it_is_openapi_3_about_the_api(client):
    spec = description(client)
    assert spec["openapi"].startswith("3.") and spec["servers"] == [{"url": PREFIX}]
    assert client.get(f"{PREFIX}/openapi.json").headers["Access-Control-Allow-Origin"] == "*"


def test_every_api_route_is_documented_and_every_documented_path_exists(app, client):
    assert set(description(client)["paths"]) == api_routes(app)


def test_each_documented_operation_answers_as_documented(client):
    spec = description(client)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            url = PREFIX + path.replace("{opening_id}", "1")
            response = client.open(url, method=method.upper())
            assert response.status_code == 200 and "200" in operation["responses"], url
            assert client.open(url, method="POST").status_code == 405 and "405" in operation["responses"]
            assert client.get(f"{url}?nonsense=1").status_code == 400 and "400" in operation["responses"]


def test_the_list_parameters_are_the_ones_the_api_reads(client):
    operation = description(client)["paths"]["/openings"]["get"]
    documented = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert tuple(documented) == api.LIST_PARAMETERS
    assert documented["region"]["enum"] == list(REGIONS) and documented["occupation"]["enum"] == list(OCCUPATIONS)
    assert documented["per_page"]["maximum"] == api.MAX_PER_PAGE and documented["page"]["maximum"] == api.MAX_PAGE


def test_the_documented_limits_are_the_api_s(client):
    documented = {p["name"]: p["schema"] for p in description(client)["paths"]["/openings"]["get"]["parameters"]}
    for name in ("page", "per_page", "min_wage"):
        most = documented[name]["maximum"]
        assert client.get(f"{PREFIX}/openings?{name}={most}").status_code == 200, name
        assert client.get(f"{PREFIX}/openings?{name}={most + 1}").status_code == 400, name
    longest = documented["q"]["maxLength"]
    assert client.get(f"{PREFIX}/openings?q={'가' * longest}").status_code == 200
    assert client.get(f"{PREFIX}/openings?q={'가' * (longest + 1)}").status_code == 400


def test_the_error_shape_is_the_one_answered(client):
    schema = description(client)["components"]["schemas"]["Error"]["properties"]["error"]
    for url in (f"{PREFIX}/openings?page=0", f"{PREFIX}/openings?x=1", f"{PREFIX}/openings/999999"):
        error = client.get(url).get_json()["error"]
        assert set(schema["required"]) <= set(error) <= set(schema["properties"]), url
