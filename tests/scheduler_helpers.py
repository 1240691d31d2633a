"""Builders the scheduler and matching tests share: seekers with preferences, openings."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable
from datetime import datetime

from kiosk.core import db
from kiosk.core.clock import iso
from kiosk.openings import store as openings
from kiosk.seekers import store as seekers
from scheduler import digest

_refs = itertools.count(1)


def add_seeker(conn: sqlite3.Connection, phone: str, now: datetime, *, frequency: str = "daily",
               occupations: Iterable[str] = (), regions: Iterable[str] = (), types: Iterable[str] = (),
               min_wage: int = 0, consent: bool = True, night: bool = False, paused: bool = False,
               center_id: int = 2, language: str = "ko", last_active: datetime | None = None) -> int:
    """A registered seeker, written the way registration writes one (preferences via set_prefs)."""
    with db.transaction(conn):
        seeker_id = conn.execute(
            "INSERT INTO seekers (phone, language, alert_frequency, alerts_consent, night_consent, alerts_paused,"
            " min_hourly_wage, center_id, registered_at, last_active_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (phone, language, frequency, int(consent), int(night), int(paused), min_wage, center_id,
             iso(now), iso(last_active or now))).fetchone()[0]
        seekers.set_prefs(conn, seeker_id, {"occupation": list(occupations), "region": list(regions),
                                            "employment_type": list(types)})
    return seeker_id


def opening(**fields: object) -> dict:
    """An opening as a publisher's feed gives it; fields override the defaults."""
    n = next(_refs)
    return {"source_ref": f"test-{n}", "title": f"아파트 경비원 {n}", "employer": "새솔아파트",
            "occupation": "security", "region": "41110", "address": "경기도 수원시 팔달구 1",
            "employment_type": "full_time", "wage_kind": "hourly", "wage_amount": 11000,
            "work_hours": "09:00~18:00", "work_days": "주5일", "how_to_apply": "전화 문의",
            "contact_phone": "031-000-0000", "posted_on": "2026-11-23", "deadline": "2026-12-31", **fields}


def post(conn: sqlite3.Connection, now: datetime, *rows: dict) -> list[int]:
    """Publishes openings (insert or update by source_ref); their ids."""
    with db.transaction(conn):
        return openings.upsert_many(conn, rows, now)


def messages(conn: sqlite3.Connection, phone: str | None = None) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM sms_messages WHERE (? IS NULL OR to_number = ?) ORDER BY id",
                        (phone, phone)).fetchall()


def settle(app, clock) -> None:
    """The demo openings are matched and today's digests are done (nobody waits for alerts yet)."""
    clock.advance(minutes=1)
    digest.run(app)  # it runs the matcher until no opening waits, then the digests
