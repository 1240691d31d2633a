"""Kiosks and the centers they belong to."""

from __future__ import annotations

import sqlite3


def get(db: sqlite3.Connection, code: str) -> sqlite3.Row | None:
    """An active kiosk with its center's name, or None."""
    return db.execute(
        "SELECT k.*, c.name AS center_name, c.phone AS center_phone FROM kiosks k"
        " JOIN centers c ON c.id = k.center_id WHERE k.code = ? AND k.active = 1",
        (code,),
    ).fetchone()


def all_active(db: sqlite3.Connection) -> list[sqlite3.Row]:
    return db.execute(
        "SELECT k.*, c.name AS center_name FROM kiosks k JOIN centers c ON c.id = k.center_id"
        " WHERE k.active = 1 ORDER BY k.code"
    ).fetchall()
