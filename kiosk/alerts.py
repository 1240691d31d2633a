"""Job alerts by SMS: instant alerts up to a daily cap, and daily and weekly digests.

Matching (kiosk.matching) stores pairs; this module turns them into outbox rows. A digest
holds the best few openings for a seeker, ranked by region fit (their center's city first,
then the same province), wage and recency, each with its short code, within the alert
segment budget.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby, islice

from kiosk import matching
from kiosk.clock import iso
from kiosk.db import transaction
from kiosk.formatting import local, parse_day, short_day, wage
from kiosk.i18n import translate
from kiosk.openings import short_code
from sms import compose, outbox

DIGEST_VALID_FOR = timedelta(days=1)
CHUNK_SEEKERS = 1000
FLUSH_MESSAGES = 5000


@dataclass(frozen=True)
class Settings:
    """What alerting needs from the app's configuration."""

    zone: str = "Asia/Seoul"
    quiet_hours: tuple[str, str] = ("21:00", "08:00")
    daily_cap: int = 3
    digest_max: int = 3

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        return cls(zone=config["TIMEZONE"],
                   quiet_hours=(config["QUIET_HOURS_START"], config["QUIET_HOURS_END"]),
                   daily_cap=int(config["INSTANT_DAILY_CAP"]),
                   digest_max=int(config["DIGEST_MAX_OPENINGS"]))


class Candidates:
    """A digest's (or a batch's) openings, with what ranking needs worked out once."""

    def __init__(self, openings: dict[int, sqlite3.Row], today: date) -> None:
        self.rows = openings
        self.live = {i for i, o in openings.items() if is_live(o, today)}
        # wage, then recency: newest posting first, then newest id
        self.order = {i: (-o["hourly_wage"], -date.fromisoformat(o["posted_on"]).toordinal(), -i)
                      for i, o in openings.items()}

    def best(self, opening_ids: Iterable[int], home_region: str | None, count: int) -> tuple[list[int], int]:
        """The `count` best live openings for a seeker living in home_region, and how many are live."""
        live = [i for i in opening_ids if i in self.live]
        province = home_region[:2] if home_region else None

        def key(i: int) -> tuple[int, int, int, int]:
            region = self.rows[i]["region"]
            return (-2 if region == home_region else -1 if region[:2] == province else 0, *self.order[i])
        return heapq.nsmallest(count, live, key=key), len(live)


def is_live(opening: sqlite3.Row, today: date) -> bool:
    return opening["status"] == "open" and (opening["deadline"] is None or opening["deadline"] >= today.isoformat())


def instant_body(opening: sqlite3.Row, language: str) -> str:
    """One opening, one line of facts each, within the alert budget."""
    code = short_code(opening["id"])
    deadline = parse_day(opening["deadline"])
    lines = [
        opening["title"],
        f"{opening['employer']} · {translate('region.' + opening['region'], language)}",
        wage(opening["wage_kind"], opening["wage_amount"], language),
        translate("alerts.instant.deadline", language, day=short_day(deadline, language)) if deadline
        else translate("alerts.instant.until_filled", language),
    ]
    body, _ = compose.fit_lines(lines, compose.budget("alert"),
                                head=translate("alerts.instant.head", language, code=code),
                                tail=translate("alerts.instant.tail", language, code=code))
    return body


def digest_line(opening: sqlite3.Row, language: str) -> str:
    return translate("alerts.digest.line", language, code=short_code(opening["id"]),
                     occupation=translate("occupation." + opening["occupation"], language),
                     region=translate("region." + opening["region"], language),
                     wage=wage(opening["wage_kind"], opening["wage_amount"], language))


class DigestComposer:
    """Digest bodies; lines and whole bodies repeat across seekers, so both are cached."""

    def __init__(self, kind: str, candidates: Candidates) -> None:
        self.kind, self.candidates = kind, candidates
        self._lines: dict[tuple[int, str], str] = {}
        self._bodies: dict[tuple, str] = {}

    def line(self, opening_id: int, language: str) -> str:
        key = (opening_id, language)
        if key not in self._lines:
            self._lines[key] = digest_line(self.candidates.rows[opening_id], language)
        return self._lines[key]

    def body(self, best: list[int], total: int, language: str) -> str:
        """The head, as many of the best lines as fit the budget, how many more, the tail."""
        key = (tuple(best), total, language)
        if key not in self._bodies:
            head = translate(f"alerts.digest.{self.kind}_head", language, count=total)
            tail = translate("alerts.digest.tail", language)
            lines = [self.line(i, language) for i in best]
            for count in range(len(lines), -1, -1):
                more = [translate("alerts.digest.more", language, count=total - count)] if total > count else []
                text = "\n".join([head, *lines[:count], *more, tail])
                if compose.fits(text, compose.budget("alert")):
                    break
            self._bodies[key] = text
        return self._bodies[key]


def send_instant(db: sqlite3.Connection, batch_id: int, now: datetime, settings: Settings) -> int:
    """Instant alerts for a batch's pairs, one SMS per opening up to the seeker's daily cap.

    Pairs over the cap stay pending and go into the next daily digest. Runs in the caller's
    transaction (the matcher's), so a digest never sees a batch before its instant alerts.
    """
    today = local(now, settings.zone).date()
    day = today.isoformat()
    candidates = Candidates(matching.batch_openings(db, batch_id, batch_id), today)
    bodies: dict[tuple[int, str], str] = {}
    queued, sent, counts = [], [], []
    total = 0
    for pairs in _seekers(matching.pending_pairs(db, batch_id, batch_id, ("instant",))):
        first = pairs[0]
        if not first["eligible"] or first["alert_frequency"] != "instant":
            continue
        room = settings.daily_cap - matching.sent_today(db, first["seeker_id"], day)
        chosen, _ = candidates.best((p["opening_id"] for p in pairs), first["home_region"], max(room, 0))
        for opening_id in chosen:
            key = (opening_id, first["language"])
            if key not in bodies:
                bodies[key] = instant_body(candidates.rows[opening_id], first["language"])
            queued.append({"to": first["phone"], "body": bodies[key], "kind": "alert",
                           "dedupe_key": f"alert:{first['seeker_id']}:{opening_id}",
                           "valid_until": now + DIGEST_VALID_FOR, "night_ok": bool(first["night_consent"]),
                           "seeker_id": first["seeker_id"], "opening_id": opening_id,
                           "language": first["language"]})
            sent.append((opening_id, first["seeker_id"]))
        if chosen:
            counts.append((first["seeker_id"], day, len(chosen)))
        if len(queued) >= FLUSH_MESSAGES:  # outbox rows in batches; the pairs are marked at the end
            total += outbox.enqueue_many(db, queued, now=now, quiet_hours=settings.quiet_hours, zone=settings.zone)
            queued = []
    total += outbox.enqueue_many(db, queued, now=now, quiet_hours=settings.quiet_hours, zone=settings.zone)
    matching.mark_sent(db, sent)
    matching.count_sent_many(db, counts)
    return total


@dataclass(frozen=True)
class DigestResult:
    kind: str
    slot: str
    ran: bool
    seekers: int = 0
    messages: int = 0


def _start_run(db: sqlite3.Connection, kind: str, slot: str, now: datetime) -> sqlite3.Row | None:
    """The run for (kind, slot): started now, or the unfinished one to resume; None if done."""
    with transaction(db):
        row = db.execute("SELECT * FROM digest_runs WHERE kind = ? AND slot = ?", (kind, slot)).fetchone()
        if row is not None:
            return None if row["finished_at"] else row
        previous = db.execute("SELECT coalesce(max(last_batch), 0) FROM digest_runs WHERE kind = ?",
                              (kind,)).fetchone()[0]
        return db.execute(
            "INSERT INTO digest_runs (kind, slot, first_batch, last_batch, started_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING *",
            (kind, slot, previous + 1, matching.last_batch(db), iso(now))).fetchone()


def _seekers(rows: Iterable[sqlite3.Row]) -> Iterator[list[sqlite3.Row]]:
    for _seeker, group in groupby(rows, key=lambda r: r["seeker_id"]):
        yield list(group)


def run_digest(db: sqlite3.Connection, reader: sqlite3.Connection, kind: str, slot: str,
               now: datetime, settings: Settings) -> DigestResult:
    """One digest (kind 'daily' or 'weekly') for a slot; a finished slot is never run again.

    `reader` streams the pairs while `db` writes the outbox in chunks of seekers, so the web
    process is never locked out for long; a crash resumes the slot with the same batches,
    and the dedupe key keeps anyone from getting the same digest twice.
    """
    run = _start_run(db, kind, slot, now)
    if run is None:
        return DigestResult(kind, slot, ran=False)
    frequencies = ("instant", "daily") if kind == "daily" else ("weekly",)
    today = local(now, settings.zone).date()
    composer = DigestComposer(kind, Candidates(matching.batch_openings(reader, run["first_batch"],
                                                                       run["last_batch"]), today))
    seekers = messages = 0
    groups = _seekers(matching.pending_pairs(reader, run["first_batch"], run["last_batch"], frequencies))
    while chunk := list(islice(groups, CHUNK_SEEKERS)):
        queued = [m for m in (_digest_message(composer, slot, pairs, now, settings) for pairs in chunk) if m]
        with transaction(db):
            outbox.enqueue_many(db, queued, now=now, quiet_hours=settings.quiet_hours, zone=settings.zone)
        seekers += len(chunk)
        messages += len(queued)
    with transaction(db):
        db.execute("UPDATE digest_runs SET finished_at = ?, seekers = ?, messages = ? WHERE kind = ? AND slot = ?",
                   (iso(now), seekers, messages, kind, slot))
    return DigestResult(kind, slot, ran=True, seekers=seekers, messages=messages)


def _digest_message(composer: DigestComposer, slot: str, pairs: list[sqlite3.Row], now: datetime,
                    settings: Settings) -> dict | None:
    """One seeker's digest as enqueue_many's arguments; None when there is nothing to send."""
    first = pairs[0]
    if not first["eligible"]:
        return None
    best, total = composer.candidates.best((p["opening_id"] for p in pairs), first["home_region"],
                                           settings.digest_max)
    if not best:
        return None
    return {"to": first["phone"], "body": composer.body(best, total, first["language"]), "kind": "alert",
            "dedupe_key": f"digest:{composer.kind}:{slot}:{first['seeker_id']}",
            "valid_until": now + DIGEST_VALID_FOR, "night_ok": bool(first["night_consent"]),
            "seeker_id": first["seeker_id"], "language": first["language"]}
