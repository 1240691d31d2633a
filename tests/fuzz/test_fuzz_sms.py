"""Twilio's webhooks with arbitrary forms: signed ones are answered (never a 500), a body over
1,600 characters is refused, and anything unsigned or mis-signed is a 403 that changes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from fuzz_settings import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from sms.inbound.counselor_commands import COMMANDS, OUTCOMES
from sms.inbound.keywords import OPT_IN, OPT_OUT
from sms.inbound.webhooks import MAX_BODY

TOKEN = "fuzz-hook-token"
BASE = "https://jobstop.example.kr"
COUNSELORS = ["+821055500001", "+821055500002"]
SEEKERS = ["+821012345678", "+821055551234"]

WORDS = st.sampled_from([
    *COMMANDS, *OUTCOMES, *sorted(OPT_OUT), *sorted(OPT_IN), "STOP", "Start", "동행", "R1",
    "R999999999999999999999", "#1", "#0", "1", "2", "J1",
    "J2400", "J0", "J99999999999999999999", "내일", "모레", "오늘", "tomorrow", "11/25", "2/30", "13/45",
    "2026-11-25", "2026-02-29", "11월 25일", "11월25일오후2시", "오전", "오후", "14:00", "25:61", "10시", "3시",
    "010-1234-5678", "01055551234", "+821055551234", "security", "경비", "메모", "?", "", " ", "\n", "\x00",
])
BODIES = st.one_of(
    st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=8).map(" ".join),
    st.text(max_size=200),
    st.sampled_from(["가" * MAX_BODY, "가" * (MAX_BODY + 1), "STOP " * 400]),
)
PHONES = st.one_of(st.sampled_from(COUNSELORS + SEEKERS), st.text(max_size=20),
                   st.integers(0, 10**12).map(lambda n: f"+8210{n:08d}"[:16]))
SIDS = st.one_of(st.sampled_from(["SM1", "SM2", "MM1"]), st.text(min_size=0, max_size=40))
EXTRA = st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k not in ("Body", "From", "MessageSid")),
                        st.text(max_size=20), max_size=3)
QUERIES = st.one_of(st.just(""), st.dictionaries(st.text(min_size=1, max_size=6), st.text(max_size=6),
                                                 max_size=2).map(urlencode))


@pytest.fixture
def hooks(app):
    app.config["TWILIO_AUTH_TOKEN"] = TOKEN
    return app.test_client()


def send(client, path: str, form: dict, query: str, signed: bool):
    url = f"{path}?{query}" if query else path
    signature = RequestValidator(TOKEN if signed else "someone-else").compute_signature(BASE + url, form)
    return client.post(url, data=form, headers={"X-Twilio-Signature": signature})


def stored(conn) -> int:
    return conn.execute("SELECT count(*) FROM sms_inbound").fetchone()[0]


@pytest.mark.parametrize("signed", [True, False])
def test_inbound_texts_never_end_in_a_server_error(hooks, conn, signed, tally):
    @fuzz_settings()
    @given(sid=SIDS, phone=PHONES, body=BODIES, extra=EXTRA, query=QUERIES)
    def answered(sid, phone, body, extra, query):
        tally.update(examples=1, requests=1)
        before = stored(conn)
        response = send(hooks, "/sms/inbound", {**extra, "MessageSid": sid, "From": phone, "Body": body},
                        query, signed)
        assert response.status_code < 500
        if not signed:
            assert response.status_code == 403 and stored(conn) == before
        elif not (sid and phone):
            assert response.status_code == 400 and stored(conn) == before
        elif len(body) > MAX_BODY:
            assert response.status_code == 413 and stored(conn) == before
        else:
            assert response.status_code == 200 and response.mimetype == "application/xml"

    answered()


@pytest.mark.parametrize("signed", [True, False])
def test_status_callbacks_never_end_in_a_server_error(hooks, signed, tally):
    @fuzz_settings()
    @given(sid=SIDS, status=st.one_of(st.sampled_from(["queued", "sent", "delivered", "undelivered", "failed",
                                                       "DELIVERED", "read", ""]), st.text(max_size=30)),
           code=st.one_of(st.sampled_from(["", "21610", "21211", "30003", "0", "9" * 30, "²"]), st.text(max_size=12)),
           extra=EXTRA, query=QUERIES)
    def answered(sid, status, code, extra, query):
        tally.update(examples=1, requests=1)
        form = {**extra, "MessageSid": sid, "MessageStatus": status, "ErrorCode": code}
        response = send(hooks, "/sms/status", form, query, signed)
        assert response.status_code == (200 if signed and sid and status else 400 if signed else 403)

    answered()
