"""What the kiosk screens keep between requests, held by the app they serve.

Each app has its own (tests make many apps in one process, and none may see another's). An
entry's key holds everything its value depends on (kiosk, language, day, filters, trail), and
what was read from the database is used only while the database is unchanged (Memo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from kiosk.http.memo import LRU, Memo


@dataclass
class Caches:
    """The kiosk screens' caches, each bounded."""

    # Every request reads its kiosk; kiosks change rarely.
    kiosks: Memo = field(default_factory=lambda: Memo(256))
    # Each center as its kiosks' home shows it (address, directions, the week's shifts).
    places: Memo = field(default_factory=lambda: Memo(64))
    # A list screen's parts as HTML (what htmx asks for, a page's results and filter panel),
    # the same for every visitor of a kiosk on one day in one language until the database
    # changes.
    list_parts: Memo = field(default_factory=lambda: Memo(1024))
    # Each opening card's inside by the row's columns, language and day, for every list.
    card_insides: LRU = field(default_factory=lambda: LRU(4096))
    # The layout's URLs and labels, by kiosk and language: every kiosk page shows them.
    chromes: LRU = field(default_factory=lambda: LRU(256))
    # The list page's layout with holes for each request's own values (kiosk/web/shell.py), by
    # kiosk, language, display preferences and "back".
    shells: LRU = field(default_factory=lambda: LRU(512))
    # Filter links, by filters, language, kiosk and trail (not by the openings).
    filter_links: LRU = field(default_factory=lambda: LRU(1024))
    # A list's "back" values rebuilt from valid filters, and "back" URLs; most lists carry a few.
    back_values: LRU = field(default_factory=lambda: LRU(4096))
    back_urls: LRU = field(default_factory=lambda: LRU(1024))
    # Per language: the catalog names of every code, and each province's places in reading order.
    names: dict[str, Any] = field(default_factory=dict)
    provinces: dict[str, Any] = field(default_factory=dict)


def init_app(app: Flask) -> None:
    app.extensions["kiosk_caches"] = Caches()


def current() -> Caches:
    """The current app's caches."""
    return current_app.extensions["kiosk_caches"]
