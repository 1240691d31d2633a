"""Programs (youth, career-break women, ...): the list the kiosk offers, and who is in which.

A seeker's programs are chosen at registration or set by staff. They are kept when the person
is anonymized (like the age band), so hires by program stay countable.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, transaction

SET_BY = ("seeker", "staff")


def offered(db: Connection) -> list[str]:
    """The codes of the programs seekers can choose, in the kiosk's order."""
    return [row[0] for row in db.execute("SELECT code FROM programs WHERE active = 1 ORDER BY position, code")]


def every(db: Connection) -> list[str]:
    """Every program code, also those no longer offered (the statistics name them all)."""
    return [row[0] for row in db.execute("SELECT code FROM programs ORDER BY position, code")]


def add(db: Connection, code: str) -> None:
    """Adds a program at the end of the list, or offers it again."""
    with transaction(db):
        db.execute("INSERT INTO programs (code, position) SELECT ?, coalesce(max(position), 0) + 1 FROM programs"
                   " ON CONFLICT (code) DO UPDATE SET active = 1", (code,))


def set_offered(db: Connection, code: str, active: bool) -> int:
    """Offers a program or stops offering it; how many rows changed (0: no such program)."""
    with transaction(db):
        return db.execute("UPDATE programs SET active = ? WHERE code = ?", (int(active), code)).rowcount


def of_seeker(db: Connection, seeker_id: int) -> list[str]:
    return [row[0] for row in db.execute(
        "SELECT sp.program FROM seeker_programs sp JOIN programs p ON p.code = sp.program"
        " WHERE sp.seeker_id = ? ORDER BY p.position", (seeker_id,))]


def set_for_seeker(db: Connection, seeker_id: int, codes: Iterable[str], *, by: str, now: datetime) -> None:
    """Replaces a seeker's programs; codes not in the list raise ValueError."""
    wanted = list(dict.fromkeys(codes))
    known = set(every(db))
    unknown = [code for code in wanted if code not in known]
    if unknown or by not in SET_BY:
        raise ValueError(", ".join(unknown) or by)
    with transaction(db):
        db.execute("DELETE FROM seeker_programs WHERE seeker_id = ?", (seeker_id,))
        db.executemany("INSERT INTO seeker_programs (seeker_id, program, set_by, at) VALUES (?, ?, ?, ?)",
                       [(seeker_id, code, by, iso(now)) for code in wanted])


def add_many(db: Connection, rows: Iterable[tuple[int, str, str, str]]) -> None:
    """(seeker id, program, set by, at) rows at once: for a bulk load (the demo's history)."""
    db.executemany("INSERT INTO seeker_programs (seeker_id, program, set_by, at) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (seeker_id, program) DO NOTHING", rows)
