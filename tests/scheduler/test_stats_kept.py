"""What the nightly job keeps (each day's counts per center, the months, the seekers not hired)
equals the figures counted again from the raw rows, also after the rows change: an outcome
recorded a day late (its consultation dated at the appointment, the hire the day it is
recorded), a seeker who withdraws (their wishes erased), programs set later by staff."""

from __future__ import annotations

import json
from datetime import date

from stats_truth import truth
from support import SECRET

from kiosk.core import db
from kiosk.core.clock import parse_iso
from kiosk.counseling import appointments, records
from kiosk.seekers import programs
from kiosk.seekers import store as seekers
from kiosk.stats import figures
from kiosk.stats.scope import Period, Scope
from scheduler import stats_snapshot

ZONE = "Asia/Seoul"
FIRST, SECOND = date(2026, 11, 21), date(2026, 11, 22)
BOTH = Period(FIRST, SECOND)


def person(conn, n: int, center: int, kiosk: str, occupation: str, now) -> int:
    seeker_id, _ = seekers.register(conn, phone=f"+82104444{n:04d}", profile={"birth_year": 1990},
                                    wanted={"occupation": [occupation]}, alerts=False, night=False,
                                    kiosk={"code": kiosk, "center_id": center}, consent_ids=[], now=now)
    return seeker_id


def summary(conn, center_id: int | None = None) -> dict:
    return figures.summary(conn, BOTH, Scope(center_id=center_id), ZONE, SECOND)


def plain(figured: dict, counted: dict) -> None:
    """The figures the changes touch equal the ones counted from the rows."""
    assert (figured["registered"]["count"], figured["hired"]["count"]) == (counted["registered"], counted["hired"])
    assert figured["consultations"]["count"] == counted["consultations"]
    assert {p["code"]: p["count"] for p in figured["registered"]["by_program"]} == {
        code: n for code, (n, _) in counted["registered_by_program"].items()}
    assert {u["code"]: u["count"] for u in figured["unhired_occupations"]} == dict(counted["unhired"][:5])


def kept_rows_equal_the_rows(conn) -> None:
    """Every kept day and center: its totals and counts, and the waiting wishes, counted plainly."""
    for day, center_id, data, registered, hired, consulted in conn.execute(
            "SELECT day, center_id, data, registered, hired, consultations FROM stats_snapshots"):
        counted = truth(conn, date.fromisoformat(day), date.fromisoformat(day), ZONE, center_id=center_id or None)
        assert (registered, hired, consulted) == (counted["registered"], counted["hired"], counted["consultations"])
        programs_kept = {key.split("|")[1]: n for key, n in json.loads(data).items() if key.startswith("reg_program|")}
        assert programs_kept == {code: n for code, (n, _) in counted["registered_by_program"].items()}, (day, center_id)
        waiting = dict(conn.execute("SELECT occupation, seekers FROM stats_waiting WHERE day = ? AND center_id = ?",
                                    (day, center_id)).fetchall())
        assert waiting == dict(counted["unhired"]), (day, center_id)


def test_the_kept_counts_equal_the_rows_after_a_late_outcome_a_withdrawal_and_programs_set_later(app, conn, clock):
    clock.set("2026-11-21T01:00:00Z")  # 10:00 on the 21st in Seoul
    hired = person(conn, 1, 1, "suwon-station", "security", clock.now())
    leaving = person(conn, 2, 1, "suwon-station", "office", clock.now())
    later = person(conn, 3, 2, "suwon-center", "office", clock.now())
    person(conn, 4, 2, "suwon-center", "care", clock.now())
    counselor = conn.execute("SELECT id FROM counselors WHERE center_id = 1 ORDER BY id").fetchone()[0]
    with db.transaction(conn):
        visit = appointments.insert(conn, kind="counseling", center_id=1, counselor_id=counselor, seeker_id=hired,
                                    starts_at=parse_iso("2026-11-21T02:00:00Z"), slot_start=None, status="booked",
                                    booked_via="sms", now=clock.now())
    clock.set("2026-11-21T15:10:00Z")  # 00:10 on the 22nd: the night's take
    assert stats_snapshot.run(app)["days"] == ["2026-11-21"]
    kept_rows_equal_the_rows(conn)

    clock.set("2026-11-22T01:00:00Z")  # the next morning
    with db.transaction(conn):  # the outcome of yesterday's counseling, recorded today: a hire
        appointments.record_outcome(conn, visit, "hired", clock.now())
        records.for_appointment(conn, appointments.get(conn, visit), topic="job_seeking", channel="visit")
        seekers.mark_employed(conn, hired, occupation="security", employer="한빛물산", now=clock.now())
    seekers.anonymize(conn, leaving, clock.now(), "withdrawal", secret=SECRET)
    programs.set_for_seeker(conn, later, ["youth"], by="staff", now=clock.now())
    before_night = summary(conn)
    counted = truth(conn, FIRST, SECOND, ZONE)
    # At once: the consultation dated yesterday (a row added after the take) and today's hire,
    # and the hired seeker's wish is no longer among those not hired.
    assert before_night["consultations"]["count"] == counted["consultations"] == 1
    assert before_night["hired"]["count"] == counted["hired"] == 1
    # Until the next take: the withdrawn seeker's erased wish and the program set later.
    assert dict((u["code"], u["count"]) for u in before_night["unhired_occupations"]) == {"office": 2, "care": 1}
    assert dict(counted["unhired"]) == {"office": 1, "care": 1}
    assert before_night["registered"]["by_program"] == [] and counted["registered_by_program"] == {"youth": (1, 1.0)}

    clock.set("2026-11-22T15:10:00Z")  # the next night: yesterday's day is counted again
    done = stats_snapshot.run(app)
    assert (done["days"], done["counted_again"]) == (["2026-11-22"], ["2026-11-21"])
    kept_rows_equal_the_rows(conn)
    plain(summary(conn), truth(conn, FIRST, SECOND, ZONE))
    plain(summary(conn, 2), truth(conn, FIRST, SECOND, ZONE, center_id=2))
    again = stats_snapshot.run(app)  # the same night again: yesterday again, nothing else
    assert (again["days"], again["counted_again"]) == (["2026-11-22"], [])
    kept_rows_equal_the_rows(conn)


def test_consultations_corrected_in_the_console_are_counted_again_the_next_night(app, conn, clock):
    clock.set("2026-11-20T01:00:00Z")
    seeker = person(conn, 5, 1, "suwon-station", "care", clock.now())
    counselor = conn.execute("SELECT id FROM counselors WHERE center_id = 1 ORDER BY id").fetchone()[0]
    with db.transaction(conn):
        wrong, moved = (records.add_consultation(conn, seeker_id=seeker, center_id=1, counselor_id=counselor,
                                                 topic="job_seeking", channel=channel, at=clock.now(), note=None,
                                                 form_key=None) for channel in ("phone", "visit"))
    clock.set("2026-11-20T15:10:00Z")
    assert stats_snapshot.run(app)["days"] == ["2026-11-20"]
    clock.set("2026-11-21T02:00:00Z")  # the next day: one was recorded by mistake, one on the wrong day
    with db.transaction(conn):
        records.cancel_consultation(conn, records.get_consultation(conn, wrong), account_id=None, now=clock.now())
        records.change_consultation(conn, records.get_consultation(conn, moved), topic="business", channel="visit",
                                    counselor_id=counselor, center_id=1, at=parse_iso("2026-11-21T01:00:00Z"),
                                    note=None, account_id=None, now=clock.now())
    clock.set("2026-11-21T15:10:00Z")
    done = stats_snapshot.run(app)
    assert (done["days"], done["counted_again"]) == (["2026-11-21"], ["2026-11-20"])
    kept_rows_equal_the_rows(conn)
    counted = truth(conn, date(2026, 11, 20), SECOND, ZONE)
    figured = figures.summary(conn, Period(date(2026, 11, 20), SECOND), Scope(), ZONE, SECOND)
    assert figured["consultations"]["count"] == counted["consultations"] == 1
    assert {t["code"]: t["count"] for t in figured["consultations"]["by_topic"]} == {"job_seeking": 0, "business": 1}
