"""The development phone's reads: whom to text as (the demo's seekers and counselors) and a
number's whole conversation in both directions.

A thread is what the number sent (sms_inbound), each text's answer (sent back in the
webhook's reply), and every other text queued or sent to it (sms_messages). An answer to
a counselor is also kept in sms_messages (outbox.record_reply): it is shown once, as the
answer to its text.
"""

from __future__ import annotations

from typing import Any

from kiosk.core.db import Connection
from kiosk.core.phones import mask

PEOPLE_LIMIT = 40
THREAD_LIMIT = 200


def people(db: Connection) -> dict[str, list[dict[str, str]]]:
    """{"seekers": [...], "counselors": [...]}, each {who, name, masked}: `who` ("s12", "c3")
    names a person without their number."""
    seekers = db.execute("SELECT id, name, phone FROM seekers WHERE status = 'active' AND phone IS NOT NULL"
                         " ORDER BY id LIMIT ?", (PEOPLE_LIMIT,)).fetchall()
    counselors = db.execute("SELECT id, name, phone FROM counselors WHERE active = 1 ORDER BY id LIMIT ?",
                            (PEOPLE_LIMIT,)).fetchall()
    return {"seekers": [{"who": f"s{r['id']}", "name": r["name"] or "", "masked": mask(r["phone"])} for r in seekers],
            "counselors": [{"who": f"c{r['id']}", "name": r["name"], "masked": mask(r["phone"])}
                           for r in counselors]}


_PHONE_OF = {"s": "SELECT phone FROM seekers WHERE id = ? AND status = 'active'",
             "c": "SELECT phone FROM counselors WHERE id = ?"}


def phone_of(db: Connection, who: str) -> str | None:
    """The number of "s12" (a seeker) or "c3" (a counselor); None for anything else."""
    query = _PHONE_OF.get(who[:1])
    if query is None or not who[1:].isascii() or not who[1:].isdigit() or len(who) > 12:
        return None
    row = db.execute(query, (int(who[1:]),)).fetchone()
    return row["phone"] if row and row["phone"] else None


def thread(db: Connection, phone: str, limit: int = THREAD_LIMIT) -> list[dict[str, Any]]:
    """The number's conversation, oldest first: direction 'in' (it sent) or 'out' (to it)."""
    found: list[tuple[tuple, dict[str, Any]]] = []
    for row in db.execute("SELECT id, body, reply, received_at FROM sms_inbound WHERE from_number = ?"
                          " ORDER BY received_at DESC, id DESC LIMIT ?", (phone, limit)):
        found.append(((row["received_at"], 0, row["id"]),
                      {"direction": "in", "body": row["body"], "at": row["received_at"], "status": None}))
        if row["reply"]:
            found.append(((row["received_at"], 1, row["id"]),
                          {"direction": "out", "body": row["reply"], "at": row["received_at"], "status": "reply"}))
    for row in db.execute("SELECT id, body, status, created_at, dedupe_key FROM sms_messages WHERE to_number = ?"
                          " ORDER BY created_at DESC, id DESC LIMIT ?", (phone, limit)):
        if ":reply:" not in (row["dedupe_key"] or ""):
            found.append(((row["created_at"], 2, row["id"]),
                          {"direction": "out", "body": row["body"], "at": row["created_at"], "status": row["status"]}))
    found.sort(key=lambda item: item[0])
    return [item for _, item in found[-limit:]]
