"""Every response of every blueprint carries the security headers; inline code only with the nonce;
behind a configured proxy, the scheme and host it reports make the API's links."""

from __future__ import annotations

import re

import pytest
from support import make_app
from twilio.request_validator import RequestValidator

TOKEN = "hook-auth-token"
BASE = "https://jobstop.example.kr"
KIOSK = "/k/suwon-station"
TEXT = {"MessageSid": "SM1", "AccountSid": "AC1", "From": "+821012345678", "To": "+15005550006", "Body": "도움"}


@pytest.fixture
def dev_app(database, clock, tmp_path):
    return make_app(database, clock, tmp_path, DEVELOPMENT=True)


@pytest.fixture
def hooks_app(database, clock, tmp_path):
    return make_app(database, clock, tmp_path, TWILIO_ACCOUNT_SID="AC" + "0" * 32, TWILIO_AUTH_TOKEN=TOKEN,
                    TWILIO_FROM_NUMBER="+15005550006")


def every_blueprint(dev_app, hooks_app) -> dict:
    """One response of each audience: kiosk pages, API, development page, health, webhooks, files."""
    client, hooks = dev_app.test_client(), hooks_app.test_client()
    signature = RequestValidator(TOKEN).compute_signature(BASE + "/sms/inbound", TEXT)
    responses = {
        "home": client.get("/"), "kiosk": client.get(f"{KIOSK}/"), "openings": client.get(f"{KIOSK}/openings"),
        "register": client.get(f"{KIOSK}/register", follow_redirects=True),
        "kiosk 404": client.get(f"{KIOSK}/no-such-screen"), "404": client.get("/no-such-page"),
        "api": client.get("/api/v1/openings?per_page=1"), "api 404": client.get("/api/v1/openings/999999"),
        "dev sms": client.get("/dev/sms"), "healthz": client.get("/healthz"), "readyz": client.get("/readyz"),
        "sms inbound": hooks.post("/sms/inbound", data=TEXT, headers={"X-Twilio-Signature": signature}),
        "sms refused": hooks.post("/sms/status", data={"MessageSid": "SM1"}),
        "css": client.get("/static/css/kiosk.css"), "htmx": client.get("/vendor/htmx.min.js"),
    }
    for response in responses.values():
        response.get_data()  # read files whole, so closing them keeps the body
        response.close()
    return responses


def test_every_blueprint_sends_the_security_headers(dev_app, hooks_app):
    responses = every_blueprint(dev_app, hooks_app)
    assert responses["sms inbound"].status_code == 200 and responses["sms refused"].status_code == 403
    assert responses["dev sms"].status_code == 200 and responses["api"].status_code == 200
    for name, response in responses.items():
        headers = response.headers
        policy = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy, name
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, name
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert headers.get("Referrer-Policy") == "no-referrer", name
        assert headers.get("X-Content-Type-Options") == "nosniff", name
        assert headers.get("X-Frame-Options") == "DENY", name
        assert headers.get("Strict-Transport-Security") == "max-age=31536000", name


def inline_code(page: str) -> list[str]:
    """The opening tags of inline <script>s (no src) and <style>s."""
    return [tag for tag in re.findall(r"<(?:script|style)\b[^>]*>", page) if "src=" not in tag]


def test_the_inline_script_and_style_carry_this_responses_nonce_and_no_style_attributes(dev_app, hooks_app):
    responses = every_blueprint(dev_app, hooks_app)
    nonces = set()
    for name in ("home", "kiosk", "openings", "register", "kiosk 404", "404", "dev sms"):
        page = responses[name].get_data(as_text=True)
        assert not re.search(r"\sstyle=", page), name
        nonce = re.search(r"'nonce-([^']+)'", responses[name].headers["Content-Security-Policy"])
        for tag in inline_code(page):
            assert nonce and f'nonce="{nonce[1]}"' in tag, (name, tag)
        nonces.add(nonce[1] if nonce else None)
    assert inline_code(responses["kiosk"].get_data(as_text=True)), "the kiosk layout's inline script"
    assert inline_code(responses["dev sms"].get_data(as_text=True)), "the development page's stylesheet"
    assert len(nonces - {None}) >= 5, "a new nonce for every response"
    htmx_config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', responses["kiosk"].get_data(as_text=True))
    assert '"includeIndicatorStyles": false' in htmx_config[1]


def test_no_hsts_while_the_public_url_is_http(database, clock, tmp_path):
    app = make_app(database, clock, tmp_path, PUBLIC_URL="http://127.0.0.1:5000", DEVELOPMENT=True)
    response = app.test_client().get(f"{KIOSK}/")
    assert "Strict-Transport-Security" not in response.headers
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "jobstop.example.kr", "X-Forwarded-For": "203.0.113.9"}


def test_behind_the_configured_proxy_api_links_are_https_on_the_public_host(database, clock, tmp_path):
    app = make_app(database, clock, tmp_path, PROXIES=1)
    item = app.test_client().get("/api/v1/openings?per_page=1", headers=FORWARDED).get_json()["items"][0]
    assert item["url"] == f"https://jobstop.example.kr/api/v1/openings/{item['id']}"
    assert app.test_client().get(item["url"].removeprefix("https://jobstop.example.kr"),
                                 headers=FORWARDED).status_code == 200


def test_without_a_configured_proxy_forwarded_headers_are_not_believed(client):
    item = client.get("/api/v1/openings?per_page=1", headers=FORWARDED).get_json()["items"][0]
    assert item["url"].startswith("http://localhost/api/v1/openings/")


def test_a_signed_webhook_through_the_proxy_is_accepted(database, clock, tmp_path):
    """Twilio signs the public https URL; the proxy forwards to plain http on the loopback."""
    app = make_app(database, clock, tmp_path, PROXIES=1, TWILIO_ACCOUNT_SID="AC" + "0" * 32,
                   TWILIO_AUTH_TOKEN=TOKEN, TWILIO_FROM_NUMBER="+15005550006")
    signature = RequestValidator(TOKEN).compute_signature(BASE + "/sms/inbound", TEXT)
    response = app.test_client().post("/sms/inbound", data=TEXT, base_url="http://127.0.0.1:8000",
                                      headers={**FORWARDED, "X-Twilio-Signature": signature})
    assert response.status_code == 200
