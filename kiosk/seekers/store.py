"""Job seekers: registration, preferences, activity, and anonymizing on withdrawal or retention."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from kiosk.core.clock import iso
from kiosk.core.db import Connection, Row, in_list, list_params, transaction
from kiosk.core.regions import age_band
from kiosk.seekers import consents, programs, referrals, verification
from sms.outbound import outbox

PREF_KINDS = ("occupation", "region", "employment_type", "program")
PROGRAMS = ("youth", "senior", "career_break", "multicultural", "breadwinner", "disability")  # as first offered
FREQUENCIES = ("instant", "daily", "weekly", "off")
DIGEST_TIMES = ("morning", "midday", "evening")  # their hours are settings (DIGEST_WINDOWS)
PROFILE_FIELDS = ("name", "birth_year", "language", "alert_frequency", "min_hourly_wage", "digest_time")


def find_by_phone(db: Connection, phone: str) -> Row | None:
    """The active seeker registered with this E.164 number, or None."""
    return db.execute("SELECT * FROM seekers WHERE phone = ? AND status = 'active'",
                      (phone,)).fetchone()


def get(db: Connection, seeker_id: int) -> Row | None:
    return db.execute("SELECT * FROM seekers WHERE id = ?", (seeker_id,)).fetchone()


def prefs(db: Connection, seeker_id: int) -> dict[str, list[str]]:
    """{kind: [values]} for every kind; an empty list means "any" (programs: none)."""
    found: dict[str, list[str]] = {kind: [] for kind in PREF_KINDS}
    for row in db.execute("SELECT kind, value FROM seeker_prefs WHERE seeker_id = ?"
                          " ORDER BY kind, value", (seeker_id,)):
        found[row["kind"]].append(row["value"])
    found["program"] = programs.of_seeker(db, seeker_id)
    return found


def set_prefs(db: Connection, seeker_id: int, wanted: Mapping[str, Iterable[str]],
              now: datetime | None = None) -> None:
    """Replaces the preferences of the kinds given; kinds not given stay as they are.
    Programs are the seeker's own choice, kept apart (kiosk.seekers.programs) with the time (now)."""
    with transaction(db):
        for kind, values in wanted.items():
            if kind not in PREF_KINDS:
                raise ValueError(kind)
            if kind == "program":
                if now is None:
                    raise ValueError("programs need the time they were chosen")
                programs.set_for_seeker(db, seeker_id, values, by="seeker", now=now)
                continue
            db.execute("DELETE FROM seeker_prefs WHERE seeker_id = ? AND kind = ?",
                       (seeker_id, kind))
            db.executemany(
                "INSERT INTO seeker_prefs (seeker_id, kind, value) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING", [(seeker_id, kind, v) for v in values])


def register(db: Connection, *, phone: str, profile: Mapping[str, Any],
             wanted: Mapping[str, Iterable[str]], alerts: bool, night: bool,
             kiosk: Mapping[str, Any], consent_ids: Iterable[int],
             now: datetime) -> tuple[int, bool]:
    """Creates the seeker (or finds the one a double tap already made): (id, created)."""
    at = iso(now)
    birth_year = profile.get("birth_year")
    with transaction(db):
        added = db.execute(
            "INSERT INTO seekers (phone, name, birth_year, age_band, language, alert_frequency,"
            " alerts_consent, night_consent, min_hourly_wage, kiosk_code, center_id,"
            " registered_at, last_active_at, digest_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (phone) DO NOTHING RETURNING id",
            (phone, profile.get("name") or None, birth_year,
             age_band(birth_year, now.year) if birth_year else None,
             profile.get("language") or "ko", profile.get("alert_frequency") or "daily",
             int(alerts), int(alerts and night), int(profile.get("min_hourly_wage") or 0),
             kiosk["code"], kiosk["center_id"], at, at, profile.get("digest_time") or None)).fetchone()
        if added is None:
            return db.execute("SELECT id FROM seekers WHERE phone = ?", (phone,)).fetchone()[0], False
        seeker_id = added[0]
        set_prefs(db, seeker_id, wanted, now)
        consents.attach(db, consent_ids, seeker_id)
    return seeker_id, True


def update_profile(db: Connection, seeker_id: int, profile: Mapping[str, Any],
                   now: datetime) -> None:
    """Changes the profile fields given (name, birth year, language, frequency, wage)."""
    fields = {k: v for k, v in profile.items() if k in PROFILE_FIELDS}
    if "birth_year" in fields:
        fields["age_band"] = age_band(fields["birth_year"], now.year) if fields["birth_year"] else None
    if "name" in fields:
        fields["name"] = fields["name"] or None
    if not fields:
        return
    assignments = ", ".join(f"{column} = :{column}" for column in fields)
    db.execute(f"UPDATE seekers SET {assignments}, last_active_at = :at"  # noqa: S608 - fixed names
               " WHERE id = :id AND status = 'active'", {**fields, "at": iso(now), "id": seeker_id})


def set_alerts_paused(db: Connection, seeker_id: int, paused: bool, now: datetime) -> None:
    db.execute("UPDATE seekers SET alerts_paused = ?, last_active_at = ? WHERE id = ?",
               (int(paused), iso(now), seeker_id))


def set_digest_time(db: Connection, seeker_id: int, digest_time: str, now: datetime) -> None:
    """When the seeker's digests come: one of DIGEST_TIMES."""
    if digest_time not in DIGEST_TIMES:
        raise ValueError(digest_time)
    db.execute("UPDATE seekers SET digest_time = ?, last_active_at = ? WHERE id = ? AND status = 'active'",
               (digest_time, iso(now), seeker_id))


def touch(db: Connection, seeker_id: int, now: datetime) -> None:
    """Records activity (a login, an edit), which the retention period counts from."""
    db.execute("UPDATE seekers SET last_active_at = ? WHERE id = ? AND status = 'active'",
               (iso(now), seeker_id))


def touch_by_phone(db: Connection, phone: str, now: datetime) -> None:
    """Records activity of the active seeker with this number (they texted JobStop)."""
    db.execute("UPDATE seekers SET last_active_at = ? WHERE phone = ? AND status = 'active'",
               (iso(now), phone))


def anonymize(db: Connection, seeker_id: int, now: datetime, reason: str,
              *, secret: str, kiosk_code: str | None = None) -> None:
    """Erases the person (number, name, birth year, preferences, saved openings, codes, queued
    messages) and keeps the anonymous statistics row and the consent ledger, where the
    withdrawal of every consent is recorded. reason: 'withdrawal' or 'retention'."""
    with transaction(db):
        row = db.execute("SELECT phone, alerts_consent, night_consent FROM seekers"
                         " WHERE id = ? AND status = 'active'", (seeker_id,)).fetchone()
        if row is None:  # already anonymized: a second tap or a second run changes nothing
            return
        if row["phone"]:
            consents.record_withdrawal(db, seeker_id, row["phone"], now, context=reason,
                                       kiosk_code=kiosk_code, secret=secret)
            verification.forget_codes(db, consents.subject_of(row["phone"], secret))
            outbox.cancel_pending(db, now=now, seeker_id=seeker_id)
            outbox.forget_number(db, row["phone"], now)
        db.execute("DELETE FROM seeker_prefs WHERE seeker_id = ?", (seeker_id,))
        db.execute("DELETE FROM saved_openings WHERE seeker_id = ?", (seeker_id,))
        referrals.close_for_seeker(db, seeker_id, now)
        db.execute(
            "UPDATE seekers SET phone = NULL, name = NULL, birth_year = NULL, status = 'withdrawn',"
            " alerts_consent = 0, night_consent = 0, alerts_paused = 0, withdrawn_at = ?,"
            " withdrawn_reason = ? WHERE id = ?", (iso(now), reason, seeker_id))


def mark_employed(db: Connection, seeker_id: int, *, occupation: str | None,
                  employer: str | None, now: datetime) -> None:
    """A hire, kept for the statistics (also after the person is anonymized)."""
    db.execute("UPDATE seekers SET employed_at = ?, employed_occupation = ?, employed_employer = ?"
               " WHERE id = ?", (iso(now), occupation, employer, seeker_id))


def withdraw_hire(db: Connection, seeker_id: int, employed_at: str) -> bool:
    """Takes back a hire recorded by mistake, if it is still the one written at employed_at."""
    return db.execute("UPDATE seekers SET employed_at = NULL, employed_occupation = NULL,"
                      " employed_employer = NULL WHERE id = ? AND employed_at = ?",
                      (seeker_id, employed_at)).rowcount > 0


def mark_forgotten(db: Connection, seeker_ids: list[int], now: datetime) -> None:
    """Stamps forgotten_at on these (withdrawn) seekers once their leftovers are gone, in short transactions."""
    for some in list_params(seeker_ids):
        with transaction(db):
            db.execute(f"UPDATE seekers SET forgotten_at = ? WHERE {in_list('id')}", (iso(now), some))


def set_consent(db: Connection, seeker_id: int, kind: str, granted: bool) -> None:
    """The current SMS-alert or night-time consent (the ledger row is written by the caller)."""
    column = {"sms_alerts": "alerts_consent", "night_alerts": "night_consent"}[kind]
    db.execute(f"UPDATE seekers SET {column} = ? WHERE id = ?",  # noqa: S608 - fixed names
               (int(granted), seeker_id))
    if kind == "sms_alerts" and not granted:
        db.execute("UPDATE seekers SET night_consent = 0 WHERE id = ?", (seeker_id,))


def matching_openings(db: Connection, seeker_id: int, today: str,
                      limit: int = 10) -> list[Row]:
    """Open openings that fit the seeker's preferences (no preference of a kind = any), newest first."""
    wanted = prefs(db, seeker_id)
    # Only the kinds the seeker chose become conditions. With chosen places, the loop runs
    # over those places (CROSS JOIN keeps that order) and the (status, region) index finds
    # their openings, instead of walking every open opening newest first.
    source, fits = "openings o", ""
    if wanted["region"]:
        source = "seeker_prefs r CROSS JOIN openings o"
        fits = " AND r.seeker_id = :id AND r.kind = 'region' AND o.region = r.value"
    fits += "".join(
        f" AND o.{kind} IN (SELECT value FROM seeker_prefs WHERE seeker_id = :id AND kind = '{kind}')"
        for kind in ("occupation", "employment_type") if wanted[kind])
    return db.execute(
        f"SELECT o.* FROM {source} WHERE o.status = 'open'"  # noqa: S608 - fixed names
        " AND (o.deadline IS NULL OR o.deadline >= :today)"
        " AND o.hourly_wage >= (SELECT min_hourly_wage FROM seekers WHERE id = :id)"
        f"{fits} ORDER BY o.posted_on DESC, o.id DESC LIMIT :limit",
        {"id": seeker_id, "today": today, "limit": limit}).fetchall()


def save_opening(db: Connection, seeker_id: int, opening_id: int, now: datetime) -> None:
    db.execute("INSERT INTO saved_openings (seeker_id, opening_id, saved_at) VALUES (?, ?, ?)"
               " ON CONFLICT DO NOTHING", (seeker_id, opening_id, iso(now)))


def unsave_opening(db: Connection, seeker_id: int, opening_id: int) -> None:
    db.execute("DELETE FROM saved_openings WHERE seeker_id = ? AND opening_id = ?",
               (seeker_id, opening_id))


def saved_openings(db: Connection, seeker_id: int) -> list[Row]:
    """The openings a seeker saved, newest first, closed ones included (they say so)."""
    return db.execute(
        "SELECT o.*, s.saved_at FROM saved_openings s JOIN openings o ON o.id = s.opening_id"
        " WHERE s.seeker_id = ? ORDER BY s.saved_at DESC, o.id DESC", (seeker_id,)).fetchall()


HISTORY_COLUMNS = ("phone", "birth_year", "age_band", "kiosk_code", "center_id", "registered_at",
                   "last_active_at", "employed_at", "employed_occupation", "employed_employer")


def add_many(db: Connection, rows: Iterable[tuple], wanted: Iterable[tuple[str, str, str]]) -> None:
    """Seekers at once, in HISTORY_COLUMNS' order (no alerts), and their wishes as (phone, kind, value):
    for a bulk load (the demo's year of history), in the caller's transaction."""
    db.executemany(f"INSERT INTO seekers ({', '.join(HISTORY_COLUMNS)}) VALUES"
                   f" ({', '.join('?' * len(HISTORY_COLUMNS))}) ON CONFLICT (phone) DO NOTHING", rows)
    db.executemany("INSERT INTO seeker_prefs (seeker_id, kind, value) SELECT id, ?, ? FROM seekers WHERE phone = ?"
                   " ON CONFLICT DO NOTHING", [(kind, value, phone) for phone, kind, value in wanted])


def ids_by_phone(db: Connection, prefix: str) -> dict[str, int]:
    """{phone: id} of the seekers whose number starts with prefix."""
    return dict(db.execute("SELECT phone, id FROM seekers WHERE phone LIKE ?", (prefix + "%",)).fetchall())
