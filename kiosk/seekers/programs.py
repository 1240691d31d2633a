"""Programs (youth, career-break women, ...): the list the kiosk offers, and who is in which.

A seeker's programs are chosen at registration or set by staff. They are kept when the person
is anonymized (like the age band), so hires by program stay countable.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.i18n import KOREAN, has, translate

SET_BY = ("seeker", "staff")
NAME_LENGTH = 60


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
    with transaction(db):  # those kept keep who chose them and when
        for code in set(of_seeker(db, seeker_id)) - set(wanted):
            db.execute("DELETE FROM seeker_programs WHERE seeker_id = ? AND program = ?", (seeker_id, code))
        db.executemany("INSERT INTO seeker_programs (seeker_id, program, set_by, at) VALUES (?, ?, ?, ?)"
                       " ON CONFLICT (seeker_id, program) DO NOTHING",
                       [(seeker_id, code, by, iso(now)) for code in wanted])


def add_many(db: Connection, rows: Iterable[tuple[int, str, str, str]]) -> None:
    """(seeker id, program, set by, at) rows at once: for a bulk load (the demo's history)."""
    db.executemany("INSERT INTO seeker_programs (seeker_id, program, set_by, at) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (seeker_id, program) DO NOTHING", rows)


# --- Names, and the list staff manage. A program's label is the name staff gave it (read as is by
# Korean readers, and by anyone whose language has no label for it), else the catalog's
# register.program.<code>. A program a seeker is in is never removed: it is turned off instead.

def label(code: str, name: str | None, language: str) -> str:
    key = f"register.program.{code}"
    if name and (language in KOREAN or not has(key, language)):
        return name
    return translate(key, language) if has(key, language) else (name or code)


def names(db: Connection) -> dict[str, str]:
    """Code -> the name staff gave it, for the programs that have one."""
    return dict(db.execute("SELECT code, name FROM programs WHERE name IS NOT NULL").fetchall())


def choices(db: Connection, language: str) -> list[tuple[str, str]]:
    """(code, label) of the programs offered, in the kiosk's order."""
    return [(row[0], label(row[0], row[1], language)) for row in db.execute(
        "SELECT code, name FROM programs WHERE active = 1 ORDER BY position, code")]


def listing(db: Connection) -> list[Row]:
    """Every program with its name, whether offered, and how many seekers are in it."""
    return db.execute("SELECT p.code, p.name, p.position, p.active,"
                      " (SELECT count(*) FROM seeker_programs sp WHERE sp.program = p.code) AS seekers"
                      " FROM programs p ORDER BY p.position, p.code").fetchall()


def add_named(db: Connection, name: str) -> str:
    """A new program with a name staff typed, offered at the end of the list; its code.
    A name already in the list (offered or not) is that program, offered again."""
    with transaction(db):
        same = db.execute("SELECT code FROM programs WHERE name = ?", (name,)).fetchone()
        if same is not None:
            db.execute("UPDATE programs SET active = 1 WHERE code = ?", (same[0],))
            return same[0]
        number = db.execute("SELECT count(*) FROM programs").fetchone()[0] + 1
        while db.execute("SELECT 1 FROM programs WHERE code = ?", (f"program_{number}",)).fetchone():
            number += 1
        db.execute("INSERT INTO programs (code, position, name) SELECT ?, coalesce(max(position), 0) + 1, ?"
                   " FROM programs", (f"program_{number}", name))
        return f"program_{number}"


def rename(db: Connection, code: str, name: str | None) -> int:
    """Gives a program a name (None: the catalog's label again); rows changed (0: no such program)."""
    with transaction(db):
        return db.execute("UPDATE programs SET name = ? WHERE code = ?", (name, code)).rowcount


def remove_unused(db: Connection, code: str) -> bool:
    """Removes a program no seeker was ever in; False (and nothing removed) when one is."""
    with transaction(db):
        if db.execute("SELECT 1 FROM seeker_programs WHERE program = ? LIMIT 1", (code,)).fetchone():
            return False
        return db.execute("DELETE FROM programs WHERE code = ?", (code,)).rowcount > 0
