"""What the outbox holds now and what became of its messages lately (reads only).

For the staff console's operations page: how much waits to go, whether sending keeps up (the
longest wait of a due message), and which messages did not reach their person and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, in_list, list_param

# What a message ended as, in the order the page lists them.
ENDED = ("sent", "delivered", "undelivered", "failed", "expired", "cancelled")
# The endings a person should look at: it never reached its number.
UNREACHED = ("undelivered", "failed", "expired")
_UNREACHED = "(status = 'undelivered' OR status = 'failed' OR status = 'expired')"
# The failure the outbox records when a dispatcher ended mid-send before the provider answered.
STOPPED = "dispatcher stopped while sending"


@dataclass(frozen=True)
class Outbox:
    due: int                    # queued and due now: the senders take these next
    oldest_due: datetime | None  # when the longest-waiting due message became due
    later: int                  # queued for a later time (a reminder's hour, a digest's slot, a retry)
    held: int                   # held until quiet hours end
    sending: int                # handed to the provider, its answer not yet recorded
    ended: dict[str, int]       # ending → messages that ended so since the given instant


def outbox(db: Connection, now: datetime, since: datetime) -> Outbox:
    """The outbox at `now`, and the messages that ended since `since`."""
    at = iso(now)
    due, oldest = db.execute("SELECT count(*), min(next_attempt_at) FROM sms_messages"
                             " WHERE status = 'queued' AND next_attempt_at <= ?", (at,)).fetchone()
    later = db.execute("SELECT count(*) FROM sms_messages WHERE status = 'queued' AND next_attempt_at > ?",
                       (at,)).fetchone()[0]
    waiting = dict(db.execute("SELECT status, count(*) FROM sms_messages WHERE status = 'held' OR status = 'sending'"
                              " GROUP BY status").fetchall())
    ended = dict.fromkeys(ENDED, 0)
    ended.update(db.execute("SELECT status, count(*) FROM sms_messages WHERE updated_at >= ? AND status <> 'queued'"
                            " AND status <> 'held' AND status <> 'sending' GROUP BY status",
                            (iso(since),)).fetchall())
    return Outbox(due=due, oldest_due=parse_iso(oldest) if oldest else None, later=later,
                  held=waiting.get("held", 0), sending=waiting.get("sending", 0), ended=ended)


def _of_centers(centers: list[int] | None) -> tuple[str, tuple]:
    """The condition (and its parameter) keeping the messages to these centers' seekers; None: all."""
    if centers is None:
        return "", ()
    return f" AND seeker_id IN (SELECT id FROM seekers WHERE {in_list('center_id')})", (list_param(centers),)


def unreached(db: Connection, since: datetime, limit: int, centers: list[int] | None = None) -> list[Row]:
    """The newest messages that ended without reaching their number since `since`, at most
    `limit`, to these centers' seekers (None: to anyone): who (seeker and number), what kind,
    and the provider's code or our reason. The body and the provider's error text stay out:
    Twilio's texts quote the number whole."""
    of_centers, params = _of_centers(centers)
    return db.execute(
        "SELECT id, kind, status, to_number, seeker_id, error_code, reason, attempts, updated_at,"
        " CASE WHEN error_text = ? THEN 1 ELSE 0 END AS stopped"
        f" FROM sms_messages WHERE {_UNREACHED} AND updated_at >= ?{of_centers}"
        " ORDER BY updated_at DESC, id DESC LIMIT ?",
        (STOPPED, iso(since), *params, limit)).fetchall()


def unreached_count(db: Connection, since: datetime, centers: list[int] | None = None) -> int:
    of_centers, params = _of_centers(centers)
    return db.execute(f"SELECT count(*) FROM sms_messages WHERE {_UNREACHED} AND updated_at >= ?{of_centers}",
                      (iso(since), *params)).fetchone()[0]
