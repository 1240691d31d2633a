"""Demo counseling hours and counselors (the Suwon Station booth and a few per city center), and
a demo seeker's past and coming appointments, so lists, My page and `jobstop stats` show something."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.core.db import Connection
from kiosk.counseling import appointments
from kiosk.counseling import hours as counseling
from kiosk.places import centers

EVERY_DAY = range(7)
WEEKDAYS = range(5)
# center name, weekdays, shifts, counselors per shift
PLAN = [
    ("수원역 일자리센터 상담부스", EVERY_DAY, [("08:00", "15:00"), ("15:00", "22:00")], 4),
    ("수원시 일자리센터", WEEKDAYS, [("09:00", "18:00")], 3),
    ("성남시 일자리센터", WEEKDAYS, [("09:00", "18:00")], 3),
    ("고양시 일자리센터", WEEKDAYS, [("09:00", "18:00")], 2),
    ("용인시 일자리센터", WEEKDAYS, [("09:00", "18:00")], 2),
    ("부천시 일자리센터", WEEKDAYS, [("09:00", "18:00")], 2),
    ("서울 일자리플러스센터", WEEKDAYS, [("09:00", "18:00")], 5),
]
NAMES = ["김민지", "이서준", "박지은", "최현우", "정수빈", "강도윤", "조하은", "윤재민", "장서연", "임준호",
         "한예린", "오승민", "서지훈", "신유나", "권태양", "황보람", "안세영", "송민재", "전하늘", "홍지우",
         "유다인", "고은비", "문성호", "배소라", "남궁현"]


def load(db: Connection, now: datetime, zone: str, _secret: str) -> None:
    """Hours and counselors for the demo centers; running it again changes nothing."""
    names = iter(NAMES)
    number = 0
    staff = []
    for center_name, days, shifts, per_shift in PLAN:
        row = centers.by_name(db, center_name)
        if row is None:
            continue
        counseling.set_hours(db, row["id"], days, shifts, slot_minutes=30)
        for shift in range(1, len(shifts) + 1):
            for _ in range(per_shift):
                number += 1
                staff.append((next(names), f"+82105550{number:04d}", row["id"], shift))
    counseling.add_counselors(db, staff, now)
    _appointments(db, now, zone)


DEMO_SEEKER = "+821000001001"   # kiosk.demo.seekers: 김영희, registered at Suwon Station
CITY_CENTER = "수원시 일자리센터"


def _next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _appointments(db: Connection, now: datetime, zone: str) -> None:
    """A counseling she attended ten days ago (rated 5) and a follow-up on the next weekday."""
    seeker = db.execute("SELECT id FROM seekers WHERE phone = ?", (DEMO_SEEKER,)).fetchone()
    center = centers.by_name(db, CITY_CENTER)
    if seeker is None or center is None or db.execute(
            "SELECT 1 FROM appointments WHERE seeker_id = ?", (seeker["id"],)).fetchone():
        return
    counselor = db.execute("SELECT id FROM counselors WHERE center_id = ? ORDER BY id LIMIT 1",
                           (center["id"],)).fetchone()
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    past = datetime.combine(today - timedelta(days=10), time(10, 0), tzinfo=tz)
    coming = datetime.combine(_next_weekday(today), time(14, 0), tzinfo=tz)
    for at, kind in ((past, "counseling"), (coming, "follow_up")):
        appointment_id = appointments.insert(
            db, kind=kind, center_id=center["id"], counselor_id=counselor["id"], seeker_id=seeker["id"],
            starts_at=at, slot_start=at, status="booked", booked_via="kiosk", kiosk_code="suwon-center",
            now=min(now, at), memo="데모")
        if at < now:
            appointments.record_outcome(db, appointment_id, "not_hired", at + timedelta(hours=1))
            appointments.record_satisfaction(db, appointments.get(db, appointment_id), 5, at + timedelta(hours=2))
