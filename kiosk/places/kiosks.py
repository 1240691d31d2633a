"""Kiosks and the centers they belong to: the only module that writes the kiosks table."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.core.db import Connection, Row, in_list, list_param


def get(db: Connection, code: str) -> Row | None:
    """An active kiosk with its center's name, or None."""
    return db.execute(
        "SELECT k.*, c.name AS center_name, c.phone AS center_phone FROM kiosks k"
        " JOIN centers c ON c.id = k.center_id WHERE k.code = ? AND k.active = 1",
        (code,),
    ).fetchone()


def add_many(db: Connection, kiosks: Iterable[tuple[str, str, str, str, str]]) -> None:
    """Adds kiosks given as (code, name, place kind, region, center name); a code already there is kept."""
    db.executemany(
        "INSERT INTO kiosks (code, name, place_kind, region, center_id)"
        " SELECT ?, ?, ?, ?, id FROM centers WHERE name = ? ON CONFLICT (code) DO NOTHING", kiosks)


def all_active(db: Connection) -> list[Row]:
    return db.execute(
        "SELECT k.*, c.name AS center_name FROM kiosks k JOIN centers c ON c.id = k.center_id"
        " WHERE k.active = 1 ORDER BY k.code"
    ).fetchall()


PLACE_KINDS = ("station", "bus_stop", "community_center", "job_bus", "center")


def add(db: Connection, *, code: str, name: str, place_kind: str, region: str, center_id: int) -> None:
    """A new kiosk; a code already there raises IntegrityError."""
    db.execute("INSERT INTO kiosks (code, name, place_kind, region, center_id) VALUES (?, ?, ?, ?, ?)",
               (code, name, place_kind, region, center_id))


def change(db: Connection, code: str, *, name: str, place_kind: str, region: str, center_id: int,
           active: bool) -> None:
    """A kiosk's name, place, region, center, and whether it is in service (its code stays)."""
    db.execute("UPDATE kiosks SET name = ?, place_kind = ?, region = ?, center_id = ?, active = ? WHERE code = ?",
               (name, place_kind, region, center_id, int(active), code))


def any_state(db: Connection, code: str) -> Row | None:
    """A kiosk, in service or not, with its center's name."""
    return db.execute("SELECT k.*, c.name AS center_name FROM kiosks k JOIN centers c ON c.id = k.center_id"
                      " WHERE k.code = ?", (code,)).fetchone()


def of_centers(db: Connection, center_ids: list[int]) -> list[Row]:
    """Every kiosk (in service or not) of these centers, by center and code."""
    return db.execute(
        "SELECT k.*, c.name AS center_name FROM kiosks k JOIN centers c ON c.id = k.center_id"
        f" WHERE {in_list('k.center_id')} ORDER BY c.id, k.code", (list_param(center_ids),)).fetchall()
