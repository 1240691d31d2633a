"""One client address cannot flood the public JSON API or the kiosk search: 429 with Retry-After."""

from __future__ import annotations

import flask_limiter
import pytest
from flask import request
from support import make_app

K = "/k/suwon-station"


@pytest.fixture
def limited_app(database, clock, tmp_path):
    return make_app(database, clock, tmp_path, RATELIMIT_ENABLED=True,
                    RATE_LIMIT_API="5 per minute", RATE_LIMIT_SEARCH="8 per minute")


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_api_answers_429_in_json_with_retry_after(limited_app):
    flooder = client_at(limited_app, "203.0.113.7")
    answers = [flooder.get("/api/v1/openings?q=경비") for _ in range(7)]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 2
    refused = answers[-1]
    assert refused.is_json and refused.json["error"]["code"] == "too_many_requests"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert client_at(limited_app, "198.51.100.20").get("/api/v1/openings").status_code == 200


def test_the_kiosk_search_answers_429_in_the_visitors_language(limited_app):
    flooder = client_at(limited_app, "203.0.113.7")
    codes = [flooder.get(f"{K}/openings?q=경비{n}").status_code for n in range(9)]
    assert codes == [200] * 8 + [429]
    refused = flooder.get(f"{K}/openings", headers={"HX-Request": "true", "HX-Target": "results-area"})
    assert refused.status_code == 429 and "요청이 너무 잦습니다" in refused.text
    assert "<html" not in refused.text  # htmx swaps only the notice into the results
    assert int(refused.headers["Retry-After"]) > 0
    assert flooder.get(f"{K}/").status_code == 200  # the rest of the kiosk still answers
    assert client_at(limited_app, "198.51.100.20").get(f"{K}/openings").status_code == 200


def test_the_limits_are_a_setting_and_can_be_off(database, clock, tmp_path):
    app = make_app(database, clock, tmp_path, RATELIMIT_ENABLED=False, RATE_LIMIT_API="1 per minute")
    client = client_at(app, "203.0.113.7")
    assert {client.get("/api/v1/openings").status_code for _ in range(5)} == {200}


def test_each_app_keeps_its_own_limits_and_counts(limited_app, database, clock, tmp_path):
    """Apps made later (the tests make many; a worker could) neither switch off nor share these."""
    flooder = client_at(limited_app, "203.0.113.7")
    assert [flooder.get("/api/v1/openings").status_code for _ in range(3)] == [200] * 3
    unlimited = make_app(database, clock, tmp_path, RATELIMIT_ENABLED=False)
    other = make_app(database, clock, tmp_path, RATELIMIT_ENABLED=True, RATE_LIMIT_API="5 per minute")
    assert [flooder.get("/api/v1/openings").status_code for _ in range(3)] == [200, 200, 429]
    assert {client_at(unlimited, "203.0.113.7").get("/api/v1/openings").status_code for _ in range(7)} == {200}
    assert client_at(other, "203.0.113.7").get("/api/v1/openings").status_code == 200


def test_in_process_counts_start_no_thread_per_request_and_still_end_with_their_window(limited_app, monkeypatch):
    import threading
    import time

    from kiosk.http.extensions import SweptMemoryStorage

    started = []  # limits' own memory storage starts a timer thread for nearly every hit
    start = threading.Timer.start
    monkeypatch.setattr(threading.Timer, "start", lambda timer: started.append(timer) or start(timer))
    flooder = client_at(limited_app, "203.0.113.7")
    for n in range(6):
        assert flooder.get(f"{K}/openings?q=경비{n}").status_code == 200
        time.sleep(0.02)
    assert started == []

    storage = SweptMemoryStorage("jobstop-memory://")
    storage.SWEEP_SECONDS = 0
    assert storage.incr("one", expiry=0.05) == 1 and storage.incr("one", expiry=0.05) == 2
    time.sleep(0.06)
    storage.incr("other", expiry=60)  # a hit sweeps what is past its window
    assert "one" not in storage.storage and storage.get("one") == 0


def test_the_kiosk_search_tells_its_count_in_headers_and_counts_each_address_apart(limited_app):
    flooder = client_at(limited_app, "203.0.113.7")
    first = flooder.get(f"{K}/openings?q=경비")
    assert first.headers["X-RateLimit-Limit"] == "8" and first.headers["X-RateLimit-Remaining"] == "7"
    assert 0 < int(first.headers["Retry-After"]) <= 60
    assert int(first.headers["X-RateLimit-Reset"]) > 0
    fragment = flooder.get(f"{K}/openings?q=경비", headers={"HX-Request": "true", "HX-Target": "results-area"})
    assert fragment.headers["X-RateLimit-Remaining"] == "6"  # a fragment counts as a page does
    other = client_at(limited_app, "198.51.100.20").get(f"{K}/openings")
    assert other.headers["X-RateLimit-Remaining"] == "7"
    home = flooder.get(f"{K}/")  # other kiosk screens are not counted, and say nothing of it
    assert "X-RateLimit-Remaining" not in home.headers
    assert flooder.get(f"{K}/openings").headers["X-RateLimit-Remaining"] == "5"


def test_the_kiosk_search_keeps_a_limit_for_the_whole_app_and_not_the_default_for_other_routes(
        database, clock, tmp_path):
    def flood(**settings):
        app = make_app(database, clock, tmp_path, RATELIMIT_ENABLED=True, RATE_LIMIT_SEARCH="100 per minute",
                       **settings)
        flooder = client_at(app, "203.0.113.7")
        return [flooder.get(f"{K}/openings?q=경비{n}").status_code for n in range(4)]

    assert flood(RATELIMIT_APPLICATION="3 per minute") == [200] * 3 + [429]
    assert flood(RATELIMIT_DEFAULT="3 per minute") == [200] * 4  # the search has a limit of its own
    assert flood(RATELIMIT_DEFAULT="3 per minute", RATELIMIT_APPLICATION="100 per minute") == [200] * 4


def test_flask_limiters_own_check_skips_the_search_it_has_nothing_to_count_for(limited_app, monkeypatch):
    """The search is counted by kiosk.http.route_limit; the override that keeps Flask-Limiter
    from resolving its limits again hooks a method of Flask-Limiter's own. If a new version
    renames it, this fails (monkeypatch finds no such method, or the hook is never called)."""
    checked = []

    def check(self, callable_name=None, in_middleware=True):
        checked.append(request.endpoint)

    monkeypatch.setattr(flask_limiter.Limiter, "_check_request_limit", check)
    visitor = client_at(limited_app, "203.0.113.9")
    assert visitor.get(f"{K}/openings?q=경비").status_code == 200
    assert visitor.get(f"{K}/").status_code == 200
    assert checked, "Flask-Limiter no longer calls the hook its check is skipped by"
    assert "kiosk.browse" not in checked
