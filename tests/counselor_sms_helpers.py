"""Texting JobStop as Twilio would: signed inbound webhooks, and the dispatcher sending what is due."""

from __future__ import annotations

import re
from itertools import count
from xml.etree import ElementTree

from twilio.request_validator import RequestValidator

from kiosk.seekers import store as seekers
from scheduler.dispatch import dispatch_due

TOKEN = "counseling-hook-token"
BASE = "https://jobstop.example.kr"
COUNSELOR = "+821055500001"       # demo: Suwon Station booth, shift 1
OTHER_COUNSELOR = "+821055500002"
SEEKER = "+821055551234"
_sids = count(1)


class Phones:
    """People texting the service; replies come back as TwiML, later texts via the outbox."""

    def __init__(self, app, client, conn, clock) -> None:
        self.app, self.client, self.conn, self.clock = app, client, conn, clock
        app.config["TWILIO_AUTH_TOKEN"] = TOKEN

    def text(self, sender: str, body: str) -> str:
        """Posts a signed inbound message; returns the reply text ('' when none)."""
        form = {"MessageSid": f"SM{next(_sids):032d}", "AccountSid": "AC" + "0" * 32, "From": sender,
                "To": "+15005550006", "Body": body}
        signature = RequestValidator(TOKEN).compute_signature(BASE + "/sms/inbound", form)
        response = self.client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
        assert response.status_code == 200, response.status_code
        found = ElementTree.fromstring(response.data).findall("Message")
        return found[0].text if found else ""

    def advance_to(self, at: str) -> None:
        """Sets the clock and lets the dispatcher send whatever became due."""
        self.clock.set(at)
        self.dispatch()

    def dispatch(self) -> None:
        dispatch_due(self.app, self.clock.now())

    def sent_to(self, phone: str) -> list[str]:
        """Bodies handed to the carrier for a number, oldest first."""
        return [row[0] for row in self.conn.execute(
            "SELECT body FROM sms_messages WHERE to_number = ? AND status IN ('sent', 'delivered')"
            " ORDER BY sent_at, id", (phone,))]

    def queued(self, phone: str) -> list[tuple[str, str]]:
        return [(row[0], row[1]) for row in self.conn.execute(
            "SELECT dedupe_key, next_attempt_at FROM sms_messages WHERE to_number = ?"
            " AND status IN ('queued', 'held') ORDER BY next_attempt_at", (phone,))]


def register_seeker(conn, phone: str, now, birth_year: int = 1962, kiosk: str = "suwon-station",
                    center: int = 1) -> int:
    seeker_id, _ = seekers.register(conn, phone=phone, profile={"birth_year": birth_year}, wanted={},
                                    alerts=False, night=False, kiosk={"code": kiosk, "center_id": center},
                                    consent_ids=[], now=now)
    return seeker_id


def latest_code(conn) -> str:
    """The six-digit code in the newest verification text."""
    body = conn.execute("SELECT body FROM sms_messages WHERE kind = 'otp' ORDER BY id DESC LIMIT 1").fetchone()[0]
    return re.search(r"\d{6}", body).group(0)


def appointment(conn, appointment_id: int):
    return conn.execute("SELECT * FROM appointments WHERE id = ?", (appointment_id,)).fetchone()


def last_appointment_id(conn) -> int:
    return conn.execute("SELECT max(id) FROM appointments").fetchone()[0]
