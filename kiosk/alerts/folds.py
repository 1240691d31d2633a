"""Digests folded into the next one: the openings of a digest that did not fit its day.

When a day's digests cannot all go out at the send rate, the least useful wait: their
openings are kept here by seeker and kind, and the seeker's next digest of that kind holds
them (those still open) with its own. The only module that writes digest_folds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kiosk.core.db import Connection, Row, in_list, list_param, list_params


def waiting(db: Connection, kind: str) -> dict[int, list[int]]:
    """Seeker → the opening ids folded into their next digest of this kind."""
    found: defaultdict[int, list[int]] = defaultdict(list)
    for seeker_id, opening_id in db.execute(
            "SELECT seeker_id, opening_id FROM digest_folds WHERE kind = ? ORDER BY seeker_id, opening_id", (kind,)):
        found[seeker_id].append(opening_id)
    return dict(found)


def openings(db: Connection, opening_ids: Iterable[int]) -> dict[int, Row]:
    """The openings of these ids (folded ones the day's batches do not hold), by id."""
    found: dict[int, Row] = {}
    for some in list_params(sorted(set(opening_ids))):
        found.update((row["id"], row) for row in db.execute(f"SELECT * FROM openings WHERE {in_list('id')}", (some,)))
    return found


def fold(db: Connection, kind: str, slot: str, digests: Iterable[tuple[int, list[int]]]) -> None:
    """Keeps (seeker id, opening ids) for the seeker's next digest; in the caller's transaction."""
    db.executemany("INSERT INTO digest_folds (kind, seeker_id, opening_id, slot) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT (kind, seeker_id, opening_id) DO NOTHING",
                   [(kind, seeker_id, opening_id, slot) for seeker_id, ids in digests for opening_id in ids])


def sent(db: Connection, kind: str, seeker_ids: list[int]) -> None:
    """These seekers got a digest of this kind: what was folded for them went with it."""
    if seeker_ids:
        db.execute(f"DELETE FROM digest_folds WHERE kind = ? AND {in_list('seeker_id')}",
                   (kind, list_param(seeker_ids)))


def forget_seekers(db: Connection, seeker_ids: list[int]) -> None:
    """Withdrawn seekers: nothing of theirs waits any more."""
    for some in list_params(seeker_ids):
        db.execute(f"DELETE FROM digest_folds WHERE {in_list('seeker_id')}", (some,))


def prune(db: Connection, closed_before: str) -> None:
    """Forgets folded openings closed before this instant (ISO): no digest would show them."""
    db.execute("DELETE FROM digest_folds WHERE opening_id IN"
               " (SELECT id FROM openings WHERE status = 'closed' AND updated_at < ?)", (closed_before,))
