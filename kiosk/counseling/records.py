"""What counselors record for the published figures: consultations (their kind and channel) and
placement referrals (알선: a seeker sent to an employer).

An attended counseling or follow-up is a consultation (a visit unless told otherwise); a
consultation by phone or text, and a referral, are recorded by their own command.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from kiosk.core.clock import iso, parse_iso
from kiosk.core.db import Connection, Row, in_list, list_params
from kiosk.core.regions import CONSULTATION_CHANNELS as CHANNELS
from kiosk.core.regions import CONSULTATION_TOPICS as TOPICS

COUNSELING_KINDS = ("counseling", "follow_up")


def consultation(db: Connection, *, seeker_id: int | None, center_id: int, counselor_id: int | None,
                 topic: str, channel: str, now: datetime, appointment_id: int | None = None) -> int:
    """Records one consultation; an appointment's is recorded once (a repeat returns its id)."""
    if topic not in TOPICS or channel not in CHANNELS:
        raise ValueError(f"{topic}/{channel}")
    row = db.execute(
        "INSERT INTO consultations (seeker_id, center_id, counselor_id, appointment_id, topic, channel, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (appointment_id) DO NOTHING RETURNING id",
        (seeker_id, center_id, counselor_id, appointment_id, topic, channel, iso(now))).fetchone()
    if row is None:
        return db.execute("SELECT id FROM consultations WHERE appointment_id = ?", (appointment_id,)).fetchone()[0]
    return row[0]


def for_appointment(db: Connection, appointment: Row, *, topic: str, channel: str) -> int | None:
    """The consultation an attended counseling or follow-up was, at its time (an interview is none)."""
    if appointment["kind"] not in COUNSELING_KINDS:
        return None
    return consultation(db, seeker_id=appointment["seeker_id"], center_id=appointment["center_id"],
                        counselor_id=appointment["counselor_id"], topic=topic, channel=channel,
                        now=parse_iso(appointment["starts_at"]), appointment_id=appointment["id"])


def placement(db: Connection, *, seeker_id: int | None, center_id: int, counselor_id: int | None,
              employer: str, occupation: str | None, now: datetime, appointment_id: int | None = None) -> int:
    """Records a placement referral to an employer."""
    return db.execute(
        "INSERT INTO placements (seeker_id, center_id, counselor_id, appointment_id, employer, occupation, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (seeker_id, center_id, counselor_id, appointment_id, employer, occupation, iso(now))).fetchone()[0]


def add_consultations(db: Connection, rows: Iterable[tuple]) -> None:
    """(seeker, center, counselor, appointment, topic, channel, at) rows at once: for a bulk load."""
    db.executemany("INSERT INTO consultations (seeker_id, center_id, counselor_id, appointment_id, topic,"
                   " channel, at) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def add_placements(db: Connection, rows: Iterable[tuple]) -> None:
    """(seeker, center, counselor, employer, occupation, at) rows at once: for a bulk load."""
    db.executemany("INSERT INTO placements (seeker_id, center_id, counselor_id, employer, occupation, at)"
                   " VALUES (?, ?, ?, ?, ?, ?)", rows)


# --- The console's forms: a note, a form's own key, corrections and a referral's result. ---
#
# A form carries a key of its own (form_key): the same form sent twice records one row. An
# edit or a cancellation is a correction: the row as it was goes to casework_corrections with
# who and when; a cancelled row leaves its table, so the figures (which count the rows there)
# no longer count it, and the log keeps it for anyone asking why a figure changed.

RESULTS = ("pending", "hired", "not_hired")
NOTE_LENGTH = 200
_CONSULTATION = ("SELECT c.*, co.name AS counselor_name, ce.name AS center_name FROM consultations c"
                 " JOIN centers ce ON ce.id = c.center_id LEFT JOIN counselors co ON co.id = c.counselor_id")
_PLACEMENT = ("SELECT p.*, co.name AS counselor_name, ce.name AS center_name, o.title AS opening_title"
              " FROM placements p JOIN centers ce ON ce.id = p.center_id"
              " LEFT JOIN counselors co ON co.id = p.counselor_id LEFT JOIN openings o ON o.id = p.opening_id")
_KEPT = {"consultation": ("seeker_id", "center_id", "counselor_id", "appointment_id", "topic", "channel", "at",
                          "note"),
         "placement": ("seeker_id", "center_id", "counselor_id", "appointment_id", "opening_id", "employer",
                       "occupation", "at", "result", "hired_on", "hire_at")}


def add_consultation(db: Connection, *, seeker_id: int, center_id: int, counselor_id: int, topic: str,
                     channel: str, at: datetime, note: str | None, form_key: str | None) -> int:
    """A consultation recorded from a form; the same form (key) sent again returns the first's id."""
    if topic not in TOPICS or channel not in CHANNELS:
        raise ValueError(f"{topic}/{channel}")
    row = db.execute(
        "INSERT INTO consultations (seeker_id, center_id, counselor_id, topic, channel, at, note, form_key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (form_key) DO NOTHING RETURNING id",
        (seeker_id, center_id, counselor_id, topic, channel, iso(at), note, form_key)).fetchone()
    if row is None:
        return db.execute("SELECT id FROM consultations WHERE form_key = ?", (form_key,)).fetchone()[0]
    return row[0]


def add_placement(db: Connection, *, seeker_id: int, center_id: int, counselor_id: int, employer: str,
                  occupation: str | None, opening_id: int | None, at: datetime, form_key: str | None,
                  appointment_id: int | None = None) -> int:
    """A placement referral recorded from a form (pending); the same form sent again: the first's id."""
    row = db.execute(
        "INSERT INTO placements (seeker_id, center_id, counselor_id, appointment_id, opening_id, employer,"
        " occupation, at, form_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (form_key) DO NOTHING"
        " RETURNING id",
        (seeker_id, center_id, counselor_id, appointment_id, opening_id, employer, occupation, iso(at),
         form_key)).fetchone()
    if row is None:
        return db.execute("SELECT id FROM placements WHERE form_key = ?", (form_key,)).fetchone()[0]
    return row[0]


def consultations_of(db: Connection, seeker_id: int, limit: int = 50) -> list[Row]:
    """A seeker's consultations, newest first, with the counselor's and center's names."""
    return db.execute(_CONSULTATION + " WHERE c.seeker_id = ? ORDER BY c.at DESC, c.id DESC LIMIT ?",
                      (seeker_id, limit)).fetchall()


def placements_of(db: Connection, seeker_id: int, limit: int = 50) -> list[Row]:
    """A seeker's placement referrals, newest first, with the opening's title where one was chosen."""
    return db.execute(_PLACEMENT + " WHERE p.seeker_id = ? ORDER BY p.at DESC, p.id DESC LIMIT ?",
                      (seeker_id, limit)).fetchall()


def get_consultation(db: Connection, consultation_id: int) -> Row | None:
    return db.execute(_CONSULTATION + " WHERE c.id = ?", (consultation_id,)).fetchone()


def get_placement(db: Connection, placement_id: int) -> Row | None:
    return db.execute(_PLACEMENT + " WHERE p.id = ?", (placement_id,)).fetchone()


def cancelled_of(db: Connection, seeker_id: int, limit: int = 50) -> list[dict]:
    """The seeker's cancelled consultations and referrals, newest cancellation first: as they were."""
    rows = db.execute("SELECT record, record_id, was, account_id, at FROM casework_corrections"
                      " WHERE seeker_id = ? AND action = 'cancel' ORDER BY at DESC, id DESC LIMIT ?",
                      (seeker_id, limit)).fetchall()
    return [{"record": r["record"], "id": r["record_id"], "cancelled_at": r["at"], **json.loads(r["was"])}
            for r in rows]


def _log(db: Connection, record: str, row: Row, action: str, account_id: int | None, now: datetime) -> None:
    was = {name: row[name] for name in _KEPT[record]}
    db.execute("INSERT INTO casework_corrections (record, record_id, seeker_id, center_id, action, was,"
               " account_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (record, row["id"], row["seeker_id"], row["center_id"], action,
                json.dumps(was, ensure_ascii=False), account_id, iso(now)))


def change_consultation(db: Connection, row: Row, *, topic: str, channel: str, counselor_id: int,
                        center_id: int, at: datetime, note: str | None, account_id: int | None,
                        now: datetime) -> bool:
    """Corrects a consultation (the old one logged); False when nothing differs (a form sent twice)."""
    if topic not in TOPICS or channel not in CHANNELS:
        raise ValueError(f"{topic}/{channel}")
    new = {"topic": topic, "channel": channel, "counselor_id": counselor_id, "center_id": center_id,
           "at": iso(at), "note": note}
    if all(row[name] == value for name, value in new.items()):
        return False
    _log(db, "consultation", row, "edit", account_id, now)
    db.execute("UPDATE consultations SET topic = ?, channel = ?, counselor_id = ?, center_id = ?, at = ?,"
               " note = ? WHERE id = ?", (*new.values(), row["id"]))
    return True


def change_placement(db: Connection, row: Row, *, fields: dict, account_id: int | None, now: datetime) -> bool:
    """Corrects a referral: employer, occupation, opening, at, result, hired_on, hire_at (the old one logged)."""
    if fields.get("result", row["result"]) not in RESULTS:
        raise ValueError(fields["result"])
    new = {name: fields[name] for name in ("employer", "occupation", "opening_id", "at", "result", "hired_on",
                                          "hire_at") if name in fields}
    if all(row[name] == value for name, value in new.items()):
        return False
    _log(db, "placement", row, "edit", account_id, now)
    if new.get("result", row["result"]) != row["result"]:
        new["result_at"] = iso(now)
    assignments = ", ".join(f"{name} = ?" for name in new)
    db.execute(f"UPDATE placements SET {assignments} WHERE id = ?",  # noqa: S608 - fixed names
               (*new.values(), row["id"]))
    return True


def cancel_consultation(db: Connection, row: Row, *, account_id: int | None, now: datetime) -> None:
    """A wrong consultation: logged as it was, and no longer counted."""
    _log(db, "consultation", row, "cancel", account_id, now)
    db.execute("DELETE FROM consultations WHERE id = ?", (row["id"],))


def cancel_placement(db: Connection, row: Row, *, account_id: int | None, now: datetime) -> None:
    """A wrong referral: logged as it was, and no longer counted (its hire is withdrawn by the caller)."""
    _log(db, "placement", row, "cancel", account_id, now)
    db.execute("DELETE FROM placements WHERE id = ?", (row["id"],))


def forget_notes(db: Connection, seeker_ids: list[int]) -> int:
    """Withdrawn people's notes (about them, in words) erased, also from the corrections log; the
    records themselves stay for the figures. How many consultations had one."""
    erased = 0
    for some in list_params(seeker_ids):
        erased += db.execute(f"UPDATE consultations SET note = NULL WHERE {in_list('seeker_id')}"
                             " AND note IS NOT NULL", (some,)).rowcount
        logged = db.execute("SELECT id, was FROM casework_corrections WHERE record = 'consultation'"
                            f" AND {in_list('seeker_id')}", (some,)).fetchall()
        for row in logged:
            was = json.loads(row["was"])
            if was.get("note") is not None:
                db.execute("UPDATE casework_corrections SET was = ? WHERE id = ?",
                           (json.dumps({**was, "note": None}, ensure_ascii=False), row["id"]))
    return erased
