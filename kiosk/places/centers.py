"""Job centers (city centers, booths, the job bus): the only module that writes the centers table."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.core.db import Connection, Row, contains, in_list, list_param

FIELDS = ("name", "kind", "region", "address", "phone")
KINDS = ("center", "booth", "community", "bus")  # 일자리센터, 상담부스, 주민센터, 일자리버스
EDITABLE = ("name", "kind", "region", "address", "directions", "phone", "slot_minutes")


def add_many(db: Connection, centers: Iterable[tuple[str, str, str, str, str]]) -> None:
    """Adds centers given as (name, kind, region, address, phone); a name already there is kept."""
    db.executemany(f"INSERT INTO centers ({', '.join(FIELDS)}) VALUES (?, ?, ?, ?, ?)"
                   " ON CONFLICT (name) DO NOTHING", centers)


def add(db: Connection, fields: dict[str, object]) -> int:
    """A new center from EDITABLE fields; a name already there raises IntegrityError."""
    return db.execute(f"INSERT INTO centers ({', '.join(EDITABLE)}) VALUES ({', '.join('?' * len(EDITABLE))})"
                      " RETURNING id", [fields[name] for name in EDITABLE]).fetchone()[0]


def change(db: Connection, center_id: int, fields: dict[str, object]) -> None:
    """A center's EDITABLE fields; a name another center has raises IntegrityError."""
    db.execute(f"UPDATE centers SET {', '.join(f'{name} = ?' for name in EDITABLE)} WHERE id = ?",
               [*(fields[name] for name in EDITABLE), center_id])


def set_slot_minutes(db: Connection, center_id: int, minutes: int) -> None:
    """The length of the center's counseling slots."""
    db.execute("UPDATE centers SET slot_minutes = ? WHERE id = ?", (minutes, center_id))


def set_directions(db: Connection, center_id: int, directions: str) -> None:
    """The "where to find us" line the kiosk's home shows under the address."""
    db.execute("UPDATE centers SET directions = ? WHERE id = ?", (directions.strip(), center_id))


def set_partner(db: Connection, center_id: int, partner_id: int | None) -> None:
    """The center to which a place with no counselors of its own (the job bus, a bus stop
    booth) routes its referrals and bookings; None: no partner. A center is not its own partner."""
    if partner_id is not None and (partner_id == center_id or get(db, partner_id) is None):
        raise ValueError(f"center {partner_id} cannot be the partner of center {center_id}")
    db.execute("UPDATE centers SET partner_center_id = ? WHERE id = ?", (partner_id, center_id))


def partner(db: Connection, center_id: int) -> Row | None:
    """The center's partner center, or None."""
    return db.execute("SELECT p.* FROM centers c JOIN centers p ON p.id = c.partner_center_id"
                      " WHERE c.id = ?", (center_id,)).fetchone()


def get(db: Connection, center_id: int) -> Row | None:
    return db.execute("SELECT * FROM centers WHERE id = ?", (center_id,)).fetchone()


def by_name(db: Connection, name: str) -> Row | None:
    return db.execute("SELECT * FROM centers WHERE name = ?", (name,)).fetchone()


def named_like(db: Connection, part: str) -> list[Row]:
    """The centers whose name contains `part` (수원역), in id order."""
    return db.execute(f"SELECT * FROM centers WHERE {contains('name')} ORDER BY id", (part,)).fetchall()


def every(db: Connection) -> list[Row]:
    """All centers, in id order."""
    return db.execute("SELECT * FROM centers ORDER BY id").fetchall()


def slot_minutes(db: Connection, center_id: int) -> int:
    return db.execute("SELECT slot_minutes FROM centers WHERE id = ?", (center_id,)).fetchone()[0]


def listing(db: Connection, center_ids: list[int]) -> list[Row]:
    """These centers with their partner's name and how many active counselors and kiosks each has."""
    return db.execute(
        "SELECT c.*, p.name AS partner_name,"
        " (SELECT count(*) FROM counselors k WHERE k.center_id = c.id AND k.active = 1) AS counselors,"
        " (SELECT count(*) FROM kiosks s WHERE s.center_id = c.id AND s.active = 1) AS kiosks"
        f" FROM centers c LEFT JOIN centers p ON p.id = c.partner_center_id WHERE {in_list('c.id')}"
        " ORDER BY c.id", (list_param(center_ids),)).fetchall()
