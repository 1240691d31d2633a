"""Korean keyword search over openings: a bigram index that finds exactly what a substring scan finds.

An opening's searchable text (title, employer, address, description) is normalized (NFKC,
lower case, single spaces) and its distinct two-character pieces without whitespace are kept;
triggers (migration 0002) hold one posting (gram, region, opening) per piece of every open
opening. A two-character term is its own posting list. A longer term takes its rarest piece's
postings (and the next rarest's, joined) and keeps the openings whose text contains the term
(db.contains). A term with no piece (one character, "a b") reads every text.

This module is the one place that knows the index, and it is SQLite-specific by design: the
postings are kept by SQLite triggers that read the stored pieces as JSON, and the query
shapes (CROSS JOIN) steer SQLite's planner. On PostgreSQL, pg_trgm would take its place.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.core.db import Connection, contains

MAX_TERM = 50
SEARCHED_FIELDS = ("title", "employer", "address", "description")
# Up to this many postings a term is "rare": the query starts from its postings. Past it the
# query walks the list in display order and checks each opening, stopping after one page.
RARE = 1500

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form texts and terms are compared in: NFKC, lower case, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def document(opening: Mapping[str, Any]) -> str:
    """An opening's searchable text; fields are kept apart by newlines so no term spans two."""
    return "\n".join(normalize(str(opening.get(field) or "")) for field in SEARCHED_FIELDS)


def grams(text: str) -> set[str]:
    """Every two-character piece of normalized text that has no whitespace in it."""
    found: set[str] = set()
    for word in text.split():
        found.update(word[i:i + 2] for i in range(len(word) - 1))
    return found


def reindex(db: Connection, opening_id: int, body: str) -> None:
    """Stores an opening's searchable text; the triggers bring its postings in step."""
    db.execute(
        "INSERT INTO opening_search_text (opening_id, body, grams) VALUES (?, ?, ?)"
        " ON CONFLICT (opening_id) DO UPDATE SET body = excluded.body, grams = excluded.grams"
        " WHERE opening_search_text.body IS NOT excluded.body",
        (opening_id, body, json.dumps(sorted(grams(body)), ensure_ascii=False)))


@dataclass(frozen=True)
class Plan:
    """How one term is looked up: its normalized needle and the pieces used to find it."""

    needle: str
    pieces: tuple[str, ...]  # empty: scan every text
    postings: int  # the first piece's posting count, capped just past RARE
    region: str = ""  # the region the postings were counted in ("" for all)

    @property
    def exact(self) -> bool:
        """The posting list alone is the answer (the term is a single bigram)."""
        return len(self.needle) == 2 and len(self.pieces) == 1

    @property
    def rare(self) -> bool:
        return self.postings <= RARE


def _posting_counts(db: Connection, wanted: list[tuple[str, str]], cap: int) -> list[int]:
    """Each (gram, region)'s posting count, up to cap ("" for every region), in one statement:
    on a database server every statement is a round trip."""
    parts, params = [], []
    for n, (gram, region) in enumerate(wanted):
        where = "gram = ? AND region = ?" if region else "gram = ?"
        parts.append(f"(SELECT count(*) FROM (SELECT 1 FROM opening_grams WHERE {where} LIMIT ?) AS p{n})")
        params += [gram, region, cap] if region else [gram, cap]
    return list(db.execute(f"SELECT {', '.join(parts)}", params).fetchone())


def plan(db: Connection, term: str, region: str = "") -> Plan | None:
    """The lookup for a term (None for an empty one), its two rarest pieces first."""
    return plans(db, term, (region,))[0]


def plans(db: Connection, term: str, regions: tuple[str, ...]) -> tuple[Plan | None, ...]:
    """The lookup for a term in each of regions ("" for all), counted in one statement."""
    needle = normalize(term)[:MAX_TERM]
    if not needle:
        return tuple(None for _ in regions)
    pieces = sorted(grams(needle))
    if not pieces:
        return tuple(Plan(needle, (), RARE + 1, region) for region in regions)
    counts = iter(_posting_counts(db, [(g, region) for region in regions for g in pieces], RARE + 1))
    found = []
    for region in regions:
        sizes = sorted((next(counts), g) for g in pieces)
        found.append(Plan(needle, tuple(g for _, g in sizes[:2]), sizes[0][0], region))
    return tuple(found)


def posting_count(gram: str, region: str = "") -> tuple[str, list[Any]]:
    """A count of the open openings that hold a piece (optionally in one region): one range."""
    if region:
        return "SELECT count(*) FROM opening_grams WHERE gram = ? AND region = ?", [gram, region]
    return "SELECT count(*) FROM opening_grams WHERE gram = ?", [gram]


def walk_condition(found: Plan) -> tuple[str, list[Any]]:
    """A condition checked per opening `o`: for a query that walks openings in display order
    and stops after a page (a common term fills a page after a few hundred openings)."""
    probes = " AND ".join("EXISTS (SELECT 1 FROM opening_grams g WHERE g.gram = ?"
                          " AND g.region = o.region AND g.opening_id = o.id)" for _ in found.pieces)
    if found.exact:
        return probes, list(found.pieces)
    text = contains("(SELECT body FROM opening_search_text s WHERE s.opening_id = o.id)")
    return (f"{probes} AND {text}" if probes else text), [*found.pieces, found.needle]


def source(found: Plan, region: str = "") -> tuple[str, str, list[Any]]:
    """FROM clause, join condition and parameters that start from the term's postings.

    The matching ids come first and openings are looked up by id (CROSS JOIN keeps SQLite
    from walking every opening instead), which suits counting and rare terms.
    """
    if not found.pieces:
        hits = f"SELECT opening_id AS id FROM opening_search_text WHERE {contains('body')}"
        params: list[Any] = [found.needle]
    else:
        first, *rest = found.pieces
        hits, params = "SELECT g.opening_id AS id FROM opening_grams g", []
        if rest:
            hits += (" JOIN opening_grams g2 ON g2.gram = ? AND g2.region = g.region"
                     " AND g2.opening_id = g.opening_id")
            params.append(rest[0])
        if not found.exact:
            hits += " JOIN opening_search_text s ON s.opening_id = g.opening_id"
        hits += " WHERE g.gram = ?"
        params.append(first)
        if region:
            hits += " AND g.region = ?"
            params.append(region)
        if not found.exact:
            hits += f" AND {contains('s.body')}"
            params.append(found.needle)
    return f"({hits}) hits CROSS JOIN openings o", "o.id = hits.id", params
