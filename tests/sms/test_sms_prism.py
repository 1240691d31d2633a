"""TwilioTransport against Twilio's own OpenAPI description, served by Stoplight Prism.

Uses ../shared/twilio/twilio_api_v2010.errors.json (Twilio-shaped 400/429 examples on the
Messages endpoint); skips cleanly when that folder or the prism binary is absent.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest
from process_helpers import free_port
from support import SHARED

from sms.outbound.transports import Outgoing, TwilioTransport

SPEC = SHARED / "twilio" / "twilio_api_v2010.errors.json"
PRISM = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "prism"
ACCOUNT_SID = "AC" + "a" * 32

pytestmark = [
    pytest.mark.skipif(not SPEC.exists(), reason="../shared/twilio is not present"),
    pytest.mark.skipif(not PRISM.exists(), reason="prism is not installed (npm install)"),
]


@pytest.fixture(scope="module")
def prism_url():
    port = free_port()
    process = subprocess.Popen([str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("prism did not start")
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def send(url: str, prefer: str | None = None, **overrides):
    settings = {"account_sid": ACCOUNT_SID, "auth_token": "token", "from_number": "+14155552345",
                "status_callback": "https://jobstop.example.kr/sms/status", "base_url": url, "timeout": 10.0,
                "headers": {"Prefer": prefer} if prefer else None}
    transport = TwilioTransport(**{**settings, **overrides})
    return transport.send(Outgoing(1, "+821012345678", "[잡스탑] 인증번호 123456"))


def test_a_valid_request_is_accepted(prism_url):
    result = send(prism_url)
    assert result.outcome == "accepted" and result.sid.startswith("SM")


def test_messaging_service_request_is_valid_too(prism_url):
    result = send(prism_url, from_number="", messaging_service_sid="MG" + "a" * 32)
    assert result.outcome == "accepted"


@pytest.mark.parametrize("code", [21211, 21212, 21408, 21606, 21612, 21614, 21604])
def test_permanent_errors_from_the_published_examples(prism_url, code):
    result = send(prism_url, f"code=400, example=e{code}")
    assert (result.outcome, result.error_code) == ("failed", code)


def test_a_full_sender_queue_is_tried_again(prism_url):
    """21611: the From number's queue at Twilio is full, which clears as Twilio sends."""
    result = send(prism_url, "code=400, example=e21611")
    assert (result.outcome, result.error_code) == ("retry", 21611)


def test_unsubscribed_example(prism_url):
    result = send(prism_url, "code=400, example=e21610")
    assert (result.outcome, result.error_code) == ("unsubscribed", 21610)


def test_rate_limited_example_carries_retry_after(prism_url):
    result = send(prism_url, "code=429")
    assert (result.outcome, result.error_code, result.retry_after) == ("retry", 20429, 1.0)
