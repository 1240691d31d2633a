"""Counselors are told of kiosk bookings and asked once, after the end, to record the outcome."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from counselor_sms_helpers import Phones, register_seeker

from kiosk.core import db
from kiosk.counseling import appointments, bookings
from kiosk.counseling.texts import settings_from
from scheduler import outcome_prompts
from scheduler.process import BY_ID

TUESDAY_11 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)      # Tuesday 11:00 in Seoul
TUESDAY_2130 = datetime(2026, 11, 24, 12, 30, tzinfo=UTC)  # Tuesday 21:30 in Seoul (the booth closes at 22:00)


def booth(conn) -> int:
    return conn.execute("SELECT id FROM centers WHERE kind = 'booth'").fetchone()[0]


def book(app, conn, phone: str, at: datetime, now: datetime) -> appointments.Row:
    seeker_id = register_seeker(conn, phone, now)
    with db.transaction(conn):
        appointment_id = bookings.book_at_kiosk(conn, seeker_id=seeker_id, center_id=booth(conn), slot_start=at,
                                                kiosk_code="suwon-station", now=now, settings=settings_from(app.config))
    return appointments.get(conn, appointment_id)


def texts_to(conn, phone: str, key_part: str) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT body FROM sms_messages WHERE to_number = ? AND dedupe_key LIKE ? ORDER BY id",
        (phone, f"%{key_part}%"))]


def test_a_kiosk_booking_is_texted_to_its_counselor(app, conn, clock):
    booked = book(app, conn, "+821077770001", TUESDAY_11, clock.now())
    told = texts_to(conn, booked["counselor_phone"], f"appt:{booked['id']}:booked")
    assert len(told) == 1
    assert f"#{booked['id']} 새 예약" in told[0] and "11월 24일(화) 오전 11:00" in told[0]
    assert "010-****-0001" in told[0] and "+821077770001" not in told[0]


def test_the_counselor_is_asked_once_after_the_end_and_not_before(app, conn, clock):
    booked = book(app, conn, "+821077770002", TUESDAY_11, clock.now())
    phone = booked["counselor_phone"]
    clock.set("2026-11-24T02:29:00Z")  # 11:29, the slot of 30 minutes has not ended
    assert outcome_prompts.run(app) == {"asked": 0}
    clock.set("2026-11-24T02:30:00Z")
    assert outcome_prompts.run(app) == {"asked": 1}
    clock.set("2026-11-24T03:30:00Z")
    assert outcome_prompts.run(app) == {"asked": 0}  # never twice
    prompts = texts_to(conn, phone, "outcome_prompt")
    assert len(prompts) == 1
    assert f"결과 {booked['id']} 취업|미취업|불참" in prompts[0] and "010-****-0002" in prompts[0]


def test_the_prompt_names_a_command_the_counselor_can_send_back(app, client, conn, clock):
    booked = book(app, conn, "+821077770003", TUESDAY_11, clock.now())
    clock.set("2026-11-24T02:45:00Z")
    outcome_prompts.run(app)
    prompt = texts_to(conn, booked["counselor_phone"], "outcome_prompt")[0]
    command = re.search(r"(결과 \d+) 취업\|미취업\|불참", prompt).group(1)
    hire = re.search(r"결과 \d+ 취업 회사 직종", prompt).group(0)
    assert hire == f"{command} 취업 회사 직종"
    reply = Phones(app, client, conn, clock).text(booked["counselor_phone"], f"{command} 취업 한빛물산 경비")
    assert reply.startswith(f"#{booked['id']}")
    recorded = appointments.get(conn, booked["id"])
    assert (recorded["outcome"], recorded["employer"]) == ("hired", "한빛물산")


def test_cancelled_and_recorded_appointments_are_not_asked_about(app, client, conn, clock):
    settings = settings_from(app.config)
    cancelled = book(app, conn, "+821077770004", TUESDAY_11, clock.now())
    bookings.cancel(conn, cancelled, clock.now(), settings, by_seeker=True)
    recorded = book(app, conn, "+821077770005", TUESDAY_11, clock.now())
    clock.set("2026-11-24T02:10:00Z")
    bookings.record_outcome(conn, appointments.get(conn, recorded["id"]), "no_show", clock.now(), settings)
    clock.set("2026-11-24T03:00:00Z")
    assert outcome_prompts.run(app) == {"asked": 0}
    assert conn.execute("SELECT count(*) FROM outcome_prompts").fetchone()[0] == 0


def test_nothing_is_asked_at_night_and_the_morning_asks_what_is_still_open(app, conn, clock):
    settings = settings_from(app.config)
    late = book(app, conn, "+821077770006", TUESDAY_2130, clock.now())
    done_at_night = book(app, conn, "+821077770007", TUESDAY_2130, clock.now())
    clock.set("2026-11-24T13:05:00Z")  # 22:05: both ended, but it is night
    assert outcome_prompts.run(app) == {"asked": 0}
    bookings.record_outcome(conn, appointments.get(conn, done_at_night["id"]), "not_hired", clock.now(), settings)
    clock.set("2026-11-24T22:59:00Z")  # 07:59
    assert outcome_prompts.run(app) == {"asked": 0}
    clock.set("2026-11-24T23:00:00Z")  # 08:00: the window opens
    outcome_prompts.run(app)  # (the demo's Tuesday afternoon appointment is asked about too)
    asked = {row[0] for row in conn.execute("SELECT appointment_id FROM outcome_prompts")}
    assert late["id"] in asked and done_at_night["id"] not in asked
    assert len(texts_to(conn, late["counselor_phone"], f"appt:{late['id']}:outcome_prompt")) == 1


def test_the_once_rule_is_the_database_s_not_the_job_s(app, conn, clock):
    """A second prompt row for the same appointment and time cannot be written."""
    booked = book(app, conn, "+821077770008", TUESDAY_11, clock.now())
    clock.set("2026-11-24T02:30:00Z")
    outcome_prompts.run(app)
    with pytest.raises(db.IntegrityError), db.transaction(conn):
        conn.execute("INSERT INTO outcome_prompts (appointment_id, version, counselor_id, asked_at)"
                     " VALUES (?, ?, ?, ?)", (booked["id"], booked["version"], booked["counselor_id"], "x"))


def test_the_scheduler_runs_the_prompt_job():
    job = BY_ID["outcome_prompts"]
    assert job.run is outcome_prompts.run and job.at_start is True
