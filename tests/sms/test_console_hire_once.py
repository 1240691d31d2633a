"""One hire is one hire: a counselor texts a referral and its hire, then marks the same referral
hired in the console; the figures count the person hired once, on the day the text said."""

from __future__ import annotations

import re
from datetime import date

import pytest
from console_support import add_account, post, sign_in
from counselor_sms_helpers import COUNSELOR, SEEKER, Phones, last_appointment_id, register_seeker

from kiosk.seekers import store as seekers
from kiosk.stats import figures
from kiosk.stats.scope import Period, Scope

TODAY = date(2026, 11, 23)


@pytest.fixture
def phones(app, client, conn, clock):
    return Phones(app, client, conn, clock)


def hired(conn) -> int:
    return figures.summary(conn, Period(TODAY, TODAY), Scope(), "Asia/Seoul", TODAY)["hired"]["count"]


def test_a_hire_texted_then_recorded_in_the_console_counts_once(app, phones, conn, clock):
    seeker_id = register_seeker(conn, SEEKER, clock.now())
    phones.text(COUNSELOR, "예약 010-5555-1234 11/23 11:00")
    number = last_appointment_id(conn)
    assert phones.text(COUNSELOR, f"알선 {number} 한빛물산 경비").endswith("알선 기록: 한빛물산")
    clock.set("2026-11-23T03:00:00Z")
    assert phones.text(COUNSELOR, f"결과 {number} 취업 한빛물산").startswith(f"#{number} 결과 저장")
    texted = seekers.get(conn, seeker_id)["employed_at"]
    assert texted == "2026-11-23T03:00:00Z" and hired(conn) == 1

    console = app.test_client()
    sign_in(console, add_account(app, "staff", center_id=1))  # the booth's, where the counselor works
    opened = post(console, f"/console/seekers/{seeker_id}/open", {"reason": "알선 결과 기록"})
    page = console.get(opened.headers["Location"]).get_data(as_text=True)
    assert "한빛물산" in page and "취업 기록: 2026. 11. 23. 12:00 한빛물산" in page
    [(placement,)] = conn.execute("SELECT id FROM placements WHERE appointment_id = ?", (number,)).fetchall()
    answer = post(console, f"/console/seekers/{seeker_id}/placements/{placement}",
                  {"result": "hired", "hired_on": "2026-11-23"})
    assert answer.status_code == 303
    assert re.search(r"취업 · 2026년 11월 23일", console.get(answer.headers["Location"]).get_data(as_text=True))
    assert seekers.get(conn, seeker_id)["employed_at"] == texted  # the texted hire stands
    assert hired(conn) == 1
    # The referral did not write the hire, so taking its result back leaves the texted one.
    post(console, f"/console/seekers/{seeker_id}/placements/{placement}/cancel")
    assert seekers.get(conn, seeker_id)["employed_at"] == texted and hired(conn) == 1
