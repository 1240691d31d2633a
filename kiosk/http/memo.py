"""What a kiosk screen read from the database, kept per process until the database changes.

A kept value is used only while the database is unchanged since it was read, as the same
connection sees it (db.data_version): any commit, by this process or another (an import,
the scheduler, another web worker), makes the next request read afresh. Versions of two
connections are not comparable, so each entry remembers its connection. Entries live in
the app, so they go with it (tests make many apps).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from kiosk.core.db import Connection, data_version
from kiosk.http.templating import LRU

T = TypeVar("T")


class Memo:
    """A bounded map of values read from the database, each valid until the database changes."""

    def __init__(self, name: str, size: int) -> None:
        self.name, self.size = name, size

    def _entries(self) -> LRU:
        kept = current_app.extensions.setdefault("kiosk_memo", {})
        if self.name not in kept:
            kept[self.name] = LRU(self.size)
        return kept[self.name]

    def get(self, db: Connection, key: Hashable, read: Callable[[], T]) -> T:
        """The value for key, from memory if nothing changed since it was read, else read()."""
        version = data_version(db)  # before reading: a change while reading makes it stale
        entries = self._entries()
        entry = entries.get((id(db), key))
        if entry is not None and entry[0] is db and entry[1] == version:
            return entry[2]
        value = read()
        if value is not None:
            entries.put((id(db), key), (db, version, value))
        return value
