"""A seeker of the job bus who texts 상담 is answered by a counselor of the bus's partner center."""

from __future__ import annotations

from counselor_sms_helpers import SEEKER, Phones, register_seeker

from kiosk.counseling import hours as counseling
from kiosk.places import centers


def test_a_job_bus_seeker_texting_for_counseling_reaches_the_partner_center(app, client, conn, clock):
    bus = conn.execute("SELECT id FROM centers WHERE kind = 'bus'").fetchone()[0]
    partner = centers.partner(conn, bus)
    register_seeker(conn, SEEKER, clock.now(), kiosk="jobbus-1", center=bus)
    phones = Phones(app, client, conn, clock)
    reply = phones.text(SEEKER, "상담")
    counselor_id = conn.execute("SELECT counselor_id FROM referral_requests ORDER BY id DESC").fetchone()[0]
    counselor = counseling.counselor(conn, counselor_id)
    assert counselor["center_id"] == partner["id"]
    assert counselor["name"] in reply
    phones.dispatch()
    [text] = phones.sent_to(counselor["phone"])
    assert "상담 요청 R" in text and "010-****-1234" in text
