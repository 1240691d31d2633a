"""Kiosks and the centers they belong to: the only module that writes the kiosks table."""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.core.db import Connection, Row


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
