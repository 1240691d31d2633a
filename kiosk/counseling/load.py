"""How much each counselor has on a day: appointments that day and referral requests given to
them that day, for the staff console's counselors list. Read only."""

from __future__ import annotations

from datetime import datetime

from kiosk.core.clock import iso
from kiosk.core.db import Connection, in_list, list_param

LIVE = ("booked", "pending_consent", "confirmed", "attended")


def on_day(db: Connection, counselor_ids: list[int], start: datetime, end: datetime) -> dict[int, tuple[int, int]]:
    """{counselor id: (appointments starting in [start, end), referrals assigned in it)}."""
    found = dict.fromkeys(counselor_ids, (0, 0))
    ids, since, until = list_param(counselor_ids), iso(start), iso(end)
    for counselor, count in db.execute(
            f"SELECT counselor_id, count(*) FROM appointments WHERE {in_list('counselor_id')}"
            f" AND starts_at >= ? AND starts_at < ? AND {in_list('status')} GROUP BY counselor_id",
            (ids, since, until, list_param(LIVE))):
        found[counselor] = (count, found[counselor][1])
    for counselor, count in db.execute(
            f"SELECT counselor_id, count(*) FROM referral_requests WHERE {in_list('counselor_id')}"
            " AND assigned_at >= ? AND assigned_at < ? GROUP BY counselor_id", (ids, since, until)):
        found[counselor] = (found[counselor][0], count)
    return found
