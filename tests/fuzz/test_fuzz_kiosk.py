"""Every kiosk screen and form, with arbitrary query parameters and fields, for a new visitor (no
session), a visitor with a session and its CSRF token, one halfway through registration and a
signed-in seeker, and a signed-in console admin (with the console's token); a few requests in a
row, so one answer's state meets the next: never a 500."""

from __future__ import annotations

import re
from itertools import count
from urllib.parse import urlencode

import pytest
from console_support import add_account, csrf_of
from console_support import sign_in as console_sign_in
from fuzz_settings import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st
from kiosk_inputs import KIOSK, NAMES, pages, requests
from werkzeug.datastructures import MultiDict

from kiosk.seekers import store as seekers

K = f"/k/{KIOSK}"
_phones = count(10_000_000)


def token_of(client) -> str:
    page = client.get(f"{K}/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def latest_code(conn) -> str:
    body = conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp' ORDER BY id DESC LIMIT 1").fetchone()[0]
    found = re.search(r"\d{6}", body)
    assert found, body
    return found.group(0)


def by_phone(client, conn, token: str, phone: str, first: str):
    """Opens a screen that asks for the phone, then proves the phone with the texted code."""
    client.post(first, data={"csrf_token": token}) if first.endswith("/register") else client.get(first)
    client.post(f"{K}/verify/phone", data={"csrf_token": token, "phone": phone})
    return client.post(f"{K}/verify/code", data={"csrf_token": token, "code": latest_code(conn)})


def signed_in(app, conn, clock):
    """A fresh client signed in as a newly registered seeker, through the phone and code screens."""
    client, phone = app.test_client(), f"010{next(_phones):08d}"
    seekers.register(conn, phone=f"+82{phone[1:]}", profile={"birth_year": 1962}, wanted={}, alerts=False,
                     night=False, kiosk={"code": KIOSK, "center_id": 1}, consent_ids=[], now=clock.now())
    conn.commit()
    token = token_of(client)
    done = by_phone(client, conn, token, phone, f"{K}/my")
    assert done.status_code == 303 and done.headers["Location"].endswith(f"{K}/my"), done.status_code
    return client, token


def registering(app, conn):
    """A fresh client halfway through registration: phone proved, personal data consented."""
    client = app.test_client()
    token = token_of(client)
    by_phone(client, conn, token, f"010{next(_phones):08d}", f"{K}/register")
    consented = client.post(f"{K}/register/consent/personal_data", data={"csrf_token": token, "answer": "yes"})
    assert consented.status_code == 303, consented.status_code
    return client, token


def start(who: str, app, conn, clock):
    if who == "new visitor":
        return app.test_client(), None
    if who == "visitor with a session":
        client = app.test_client()
        return client, token_of(client)
    if who == "registering visitor":
        return registering(app, conn)
    if who == "console admin":
        client = app.test_client()
        console_sign_in(client, add_account(app, "admin"))
        return client, csrf_of(client)
    return signed_in(app, conn, clock)


def test_the_names_are_read_from_the_views():
    assert {"page", "slot", "next", "lang", "phone", "code", "answer", "q", "min_wage", "back"} <= set(NAMES)


def test_every_kiosk_screen_and_form_is_fuzzed(app):
    endpoints = {endpoint for endpoint, _arguments, _method in pages(app)}
    assert {"kiosk.register_step", "kiosk.booking_book", "kiosk.prefs", "kiosk.browse"} <= endpoints
    assert {"console.sign_in_post", "console.account_create", "console.access_records"} <= endpoints
    assert not any(e.startswith(("api.", "sms.")) for e in endpoints)


@pytest.mark.parametrize("who", ["new visitor", "visitor with a session", "registering visitor", "signed-in seeker",
                                 "console admin"])
def test_no_kiosk_request_ends_in_a_server_error(app, conn, clock, who, tally):
    # The fuzz signs in many seekers from one kiosk, client and device: no code caps (0 = none).
    app.config.update(CODES_PER_KIOSK_PER_HOUR=10**9, CODES_PER_CLIENT_PER_HOUR=0,
                      CODES_PER_DEVICE_PER_HOUR=0, CODES_PER_HOUR=0)

    @fuzz_settings()
    @given(data=st.data())
    def never_a_500(data):
        client, token = start(who, app, conn, clock)
        tally["examples"] += 1
        for _ in range(data.draw(st.integers(1, 4))):
            tally["requests"] += 1
            method, url, query, form = data.draw(requests(app, token))
            full = f"{url}?{urlencode(query)}" if query else url
            response = client.open(full, method=method, data=MultiDict(form) if method == "POST" else None)
            assert response.status_code < 500, (method, full, form, response.status_code)

    never_a_500()
