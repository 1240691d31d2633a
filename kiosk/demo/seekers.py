"""Demo job seekers registered at kiosks, with their consents, wishes and a saved opening.

Their numbers (010-0000-1001, 010-0000-1002) are made up for the demo; without Twilio settings
the development transport only stores messages (see /dev/sms). Log in at /k/<kiosk>/my.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.db import Connection
from kiosk.seekers import consents
from kiosk.seekers import store as seekers

# phone, name, birth year, kiosk, days ago, alerts, night, frequency, min wage, wishes.
# Both want alerts, with wishes the demo openings meet (care and security work around Suwon
# and Hwaseong; IT and office work in Seongnam and Seoul), so the scheduler's matching sends
# alerts and digests in the demo from its first run: instant ones to one, a daily digest to the other.
DEMO_SEEKERS = [
    ("+821000001001", "김영희", 1964, "suwon-station", 40, True, False, "daily", 10_320,
     {"occupation": ["care", "security"], "region": ["41110", "41590"], "program": ["senior"]}),
    ("+821000001002", "이준호", 1999, "seongnam-moran", 25, True, True, "instant", 12_000,
     {"occupation": ["it", "office"], "region": ["41130", "11140"], "employment_type": ["full_time"],
      "program": ["youth"]}),
]



def load(db: Connection, now: datetime, _zone: str, secret: str) -> None:
    """Two registered seekers with alerts on; running it again changes nothing."""
    center_of = dict(db.execute("SELECT code, center_id FROM kiosks").fetchall())
    for phone, name, year, kiosk, days, alerts, night, frequency, wage, wanted in DEMO_SEEKERS:
        if kiosk not in center_of or seekers.find_by_phone(db, phone) is not None:
            continue
        at = now - timedelta(days=days)
        ids = [consents.record(db, phone=phone, kind=kind, granted=granted, now=at,
                               kiosk_code=kiosk, secret=secret)
               for kind, granted in (("personal_data", True), ("sms_alerts", alerts),
                                     ("night_alerts", night))]
        seeker_id, _ = seekers.register(
            db, phone=phone, profile={"name": name, "birth_year": year, "language": "ko",
                                      "alert_frequency": frequency, "min_hourly_wage": wage},
            wanted=wanted, alerts=alerts, night=night,
            kiosk={"code": kiosk, "center_id": center_of[kiosk]}, consent_ids=ids, now=at)
        opening = db.execute("SELECT id FROM openings WHERE status = 'open' AND occupation = ?"
                             " ORDER BY posted_on DESC, id LIMIT 1", (wanted["occupation"][0],)).fetchone()
        if opening:
            seekers.save_opening(db, seeker_id, opening["id"], at + timedelta(days=1))
