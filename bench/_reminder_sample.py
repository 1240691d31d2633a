"""The sending path of Twilio's appointment-reminder sample (Flask + Celery + Redis), for
bench/sms_scheduler.py to compare with JobStop's scheduler on the same loopback peer.

As in the sample: one Celery task per reminder; the task reads its appointment from the
database, formats the text and calls messages.create on the module's twilio Client (one
per worker process, so its connections stay open: the cheaper of the sample's two ways,
the other making a Client per task). The sample reads through SQLAlchemy; here the
appointment is one sqlite3 row (cheaper, if anything). The one change: the client's
requests go to the peer (TWILIO_API_BASE_URL), through the same URL rewrite JobStop uses,
with twilio's own (synchronous) HTTP client.

Run by the bench as: celery -A _reminder_sample worker (cwd bench/), with REMINDER_BROKER,
REMINDER_DATABASE and TWILIO_API_BASE_URL in the environment.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from celery import Celery
from twilio.rest import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sms.outbound.transports import RoutedHttpClient  # noqa: E402

celery = Celery("reminders", broker=os.environ.get("REMINDER_BROKER", "redis://127.0.0.1:6379/0"))
celery.conf.update(task_ignore_result=True, worker_hijack_root_logger=True)

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "peer-auth-token"
FROM_NUMBER = "+15005550006"


def appointment(appointment_id: int) -> tuple[str, str, str]:
    with sqlite3.connect(os.environ["REMINDER_DATABASE"]) as db:
        return db.execute("SELECT name, phone_number, time FROM appointments WHERE id = ?",
                          (appointment_id,)).fetchone()


client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=RoutedHttpClient(os.environ.get("TWILIO_API_BASE_URL")))


@celery.task()
def send_sms_reminder(appointment_id: int) -> None:
    name, phone, when = appointment(appointment_id)
    time = datetime.fromisoformat(when).astimezone(UTC)
    body = f"Hello {name}. You have an appointment at {time:%I:%M %p}!"
    client.messages.create(phone, from_=FROM_NUMBER, body=body)
