"""TwilioTransport: the real twilio client against a loopback peer, each outcome class."""

from __future__ import annotations

import pytest
from twilio_peer import ACCOUNT_SID, AUTH_TOKEN, Reply, TwilioPeer

from sms.outbound.transports import DevTransport, Outgoing, TwilioTransport, retry_after_seconds
from sms.outbound.twilio_async import AsyncTwilioTransport, from_config

TO = "+821012345678"


def transport(peer: TwilioPeer, **overrides) -> TwilioTransport:
    settings = {"account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN, "from_number": "+15005550006",
                "status_callback": "https://jobstop.example.kr/sms/status", "base_url": peer.base_url,
                "timeout": 2.0}
    return TwilioTransport(**{**settings, **overrides})


def send(t: TwilioTransport, body: str = "안녕하세요") -> object:
    return t.send(Outgoing(1, TO, body))


def test_accepted_message_carries_sid_and_callback(peer):
    result = send(transport(peer))
    assert result.outcome == "accepted"
    assert result.sid and result.sid.startswith("SM")
    [seen] = peer.received
    assert (seen.to, seen.body, seen.sender) == (TO, "안녕하세요", "+15005550006")
    assert seen.status_callback == "https://jobstop.example.kr/sms/status"
    assert seen.sid == result.sid


def test_messaging_service_sid_replaces_from_number(peer):
    result = send(transport(peer, from_number="", messaging_service_sid="MG" + "1" * 32))
    assert result.outcome == "accepted"
    assert peer.received[0].sender == "MG" + "1" * 32


@pytest.mark.parametrize("code", [21211, 21212, 21408, 21606, 21612, 21614])
def test_permanent_errors_fail_with_their_code(peer, code):
    peer.script(TO, Reply(400, code, "The 'To' number is not valid."))
    result = send(transport(peer))
    assert (result.outcome, result.error_code) == ("failed", code)
    assert "not valid" in result.error_text


def test_unsubscribed_recipient(peer):
    peer.script(TO, Reply(400, 21610, "Attempt to send to unsubscribed recipient"))
    result = send(transport(peer))
    assert (result.outcome, result.error_code) == ("unsubscribed", 21610)


def test_429_is_retried_after_what_twilio_asks(peer):
    peer.script(TO, Reply(429, 20429, "Too Many Requests", retry_after="17"))
    result = send(transport(peer))
    assert (result.outcome, result.error_code, result.retry_after) == ("retry", 20429, 17.0)


def test_a_full_sender_queue_is_retried_not_failed(peer):
    peer.script(TO, Reply(400, 21611, "This 'From' number has exceeded the maximum number of queued messages",
                          retry_after="30"))
    result = send(transport(peer))
    assert (result.outcome, result.error_code, result.retry_after) == ("retry", 21611, 30.0)


@pytest.mark.parametrize("reply", [Reply(500, 20500, "Internal Server Error"),
                                   Reply(503, None, "", raw="<html>Service Unavailable</html>")])
def test_server_errors_are_retried(peer, reply):
    peer.script(TO, reply)
    result = send(transport(peer))
    assert result.outcome == "retry"
    assert result.error_code == reply.status if reply.code is None else reply.code


def test_a_peer_that_does_not_answer_in_time_is_retried(peer):
    peer.script(TO, Reply(sleep=1.5))
    result = send(transport(peer, timeout=0.3))
    assert result.outcome == "retry"
    assert result.error_text.startswith("timeout")


def test_nobody_listening_is_a_connection_error_and_retried():
    closed = TwilioTransport(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, from_number="+15005550006",
                             base_url="http://127.0.0.1:9", timeout=1.0)
    result = closed.send(Outgoing(1, TO, "x"))
    assert result.outcome == "retry"
    assert result.error_text.startswith("connection")


def test_wrong_credentials_are_retried_not_failed(peer):
    result = send(transport(peer, auth_token="wrong"))
    assert (result.outcome, result.error_code) == ("retry", 20003)


def test_retry_after_as_http_date():
    from datetime import UTC, datetime
    now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert retry_after_seconds("Mon, 23 Nov 2026 01:00:30 GMT", now) == 30.0
    assert retry_after_seconds("garbage", now) is None
    assert retry_after_seconds(None, now) is None


def test_configuration_picks_the_transport():
    assert isinstance(from_config({}), DevTransport)
    chosen = from_config({"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                          "TWILIO_FROM_NUMBER": "+15005550006", "PUBLIC_URL": "https://j.example.kr/"})
    assert isinstance(chosen, AsyncTwilioTransport) and chosen.senders == 5  # 10 msg/s: 5 requests at once
    assert chosen.status_callback == "https://j.example.kr/sms/status"
    with pytest.raises(ValueError):
        from_config({"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN})
