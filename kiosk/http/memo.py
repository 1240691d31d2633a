"""Bounded caches for what the kiosk screens keep between requests; each app holds its own.

A Memo keeps what was read from the database, used only while the content the kiosk shows
is unchanged since it was read (db.data_version, a counter in the database itself): a change
to openings, places or hours, by this process or another machine (an import, the scheduler,
another web worker), makes the next request read afresh; sessions and usage events do not.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar

from kiosk.core.db import Connection, data_version

T = TypeVar("T")


class LRU:
    """A bounded map that forgets the least recently used entry; shared by a worker's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get_or_set(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value for key; when there is none, make()'s, kept."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            if len(self._items) > self.size:
                self._items.popitem(last=False)


class Memo:
    """A bounded map of values read from the database, each valid until the database changes."""

    def __init__(self, size: int) -> None:
        self._entries = LRU(size)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, db: Connection, key: Hashable, read: Callable[[], T]) -> T:
        """The value for key, from memory if nothing changed since it was read, else read()."""
        version = data_version(db)  # before reading: a change while reading makes it stale
        entry = self._entries.get(key)
        if entry is not None and entry[0] == version:
            return entry[1]
        value = read()
        if value is not None:
            self._entries.put(key, (version, value))
        return value
