"""Layered configuration: defaults, then the instance file, then the environment."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULTS: dict[str, Any] = {
    "DATABASE": "",  # a SQLite file path (empty: <instance>/jobstop.sqlite3) or postgresql://...
    "TIMEZONE": "Asia/Seoul",
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "QUIET_HOURS_START": "21:00",
    "QUIET_HOURS_END": "08:00",
    "IDLE_SECONDS": 90,
    "IDLE_COUNTDOWN_SECONDS": 30,
    "IDLE_GRACE_SECONDS": 10,  # the server ends a kiosk session this long after the browser would
    "IDLE_HEARTBEAT_SECONDS": 20,  # a visitor touching the screen is reported at most this often
    "SESSION_HOURS": 2,
    # The staff console (/console/): its own session cookie, ended after this much idle time.
    "CONSOLE_IDLE_MINUTES": 30,
    "CONSOLE_LOCK_FAILURES": 5,  # wrong passwords in a row that lock an email out ...
    "CONSOLE_LOCK_MINUTES": 15,  # ... for this long (an admin may lift it sooner)
    "CONSOLE_LINK_HOURS": 72,  # a set-password link works this long, once
    "CONSOLE_PASSWORD_MIN": 12,  # characters in a staff password at least
    "CENTER_NAME": "경기도 일자리센터",
    "CENTER_PHONE": "1588-0000",
    "DEFAULT_LANGUAGE": "ko",
    "SMS_RATE_PER_SECOND": 10.0,
    "SMS_SENDERS": 0,  # concurrent requests to Twilio; 0: derived from the rate (sms.outbound.pacing)
    "SMS_MAX_ATTEMPTS": 6,
    "SMS_HTTP_TIMEOUT": 10.0,  # seconds for one request to Twilio
    "SMS_LEASE_SECONDS": 60.0,  # a claimed message not resolved by then is examined again
    "SMS_AUTOREPLY_MAX": 6,  # automatic replies to one number within the window (loop guard)
    "SMS_AUTOREPLY_WINDOW_MINUTES": 10,
    "SMS_COUNSELOR_AUTOREPLY_MAX": 30,  # replies to a counselor's recognised commands per window
    "SMS_REPLY_NUMBER": "",  # the number people text START to (default: TWILIO_FROM_NUMBER)
    "DEVELOPMENT": False,  # serve/scheduler may run without Twilio or a secret key; /dev/sms answers
    "DEV_SMS_PAGE": False,  # /dev/sms lists every number (jobstop start turns it on for the demo)
    "PROXIES": 0,  # reverse proxies in front whose X-Forwarded-For/-Proto/-Host/-Port are trusted
    "APPOINTMENT_REMINDER_HOURS": "24,2",  # reminders this many hours before an appointment
    "TWILIO_ACCOUNT_SID": "",
    "TWILIO_AUTH_TOKEN": "",
    "TWILIO_FROM_NUMBER": "",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_API_BASE_URL": "",
    # A kiosk address opened by a browser that is not enrolled for it enrols it at once (the demo,
    # development mode and the tests' app); in production staff enrol each kiosk PC with a code.
    "KIOSK_AUTO_ENROL": False,
    "DEVICE_REPORT_SECONDS": 60,  # an enrolled kiosk's page reports in this often, visitor or not
    "DEVICE_ONLINE_MINUTES": 3,  # a device heard from within this long is online in the console
    "CODES_PER_KIOSK_PER_HOUR": 60,  # phone codes one kiosk may send in an hour (SMS abuse)
    # Hourly caps per client address, kiosk device, visitor or number, and for the whole
    # installation (kiosk.core.limits; 0 = none). A narrow cap stays well below the wide one,
    # so one client cannot use up the installation's. Kiosks sharing one address (a station's
    # network) share its client caps: raise them there.
    "CODES_PER_CLIENT_PER_HOUR": 20,
    "CODES_PER_DEVICE_PER_HOUR": 30,
    "CODES_PER_HOUR": 600,  # the installation's ceiling: an error in the log when reached
    "SENDS_PER_NUMBER_PER_HOUR": 10,  # jobs sent to one phone from the kiosks
    "SENDS_PER_CLIENT_PER_HOUR": 60,
    "SENDS_PER_DEVICE_PER_HOUR": 60,
    "SENDS_PER_HOUR": 3000,
    "ASKS_PER_VISITOR_PER_HOUR": 3,  # requests to a counselor from one seeker
    "ASKS_PER_CLIENT_PER_HOUR": 20,
    "ASKS_PER_DEVICE_PER_HOUR": 20,
    "ASKS_PER_HOUR": 500,
    "CALLBACKS_PER_CLIENT_PER_HOUR": 10,  # call-back requests from 직원 호출 (each texts a counselor)
    "CALLBACKS_PER_DEVICE_PER_HOUR": 10,
    "CALLBACKS_PER_HOUR": 300,
    # Requests per client address to the JSON API and to the kiosk list and search (429 with
    # Retry-After beyond them). RATELIMIT_STORAGE_URI: where the counts live (kiosk/http/extensions.py).
    "RATE_LIMIT_API": "60 per minute",
    "RATE_LIMIT_SEARCH": "300 per minute",  # kiosks sharing one address share it
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "REMINDER_USEFUL_UNTIL_MINUTES": 30,
    "SCHEDULER_LEASE_SECONDS": 8,  # a standby takes over within this + 1 s of the holder's death
    "DISPATCH_EVERY_SECONDS": 5,
    "MATCH_EVERY_SECONDS": 60,
    "OUTCOME_PROMPT_EVERY_SECONDS": 300,  # how often ended appointments' counselors are asked for the outcome
    "OUTCOME_PROMPT_LOOK_BACK_DAYS": 3,  # appointments that ended longer ago are not asked about
    "REFERRAL_FLAG_AFTER_MINUTES": 60,  # the console flags a referral request waiting longer than this
    "DIGEST_HOUR": 9,
    # When digests go out, as seekers choose (name start-end, local time; within the hours
    # alerts may be sent). The first window also takes seekers who chose none.
    "DIGEST_WINDOWS": "morning 09:00-12:00, midday 12:00-17:00, evening 17:00-21:00",
    "DIGEST_DEFAULT_TIME": "morning",
    "DIGEST_RATE_SHARE": 0.9,  # of SMS_RATE_PER_SECOND the digest plan uses; codes and reminders keep the rest
    "BUS_NOTICE_HOUR": 8,  # the day-before notice of a job bus run goes out from this hour (never in quiet hours)
    "DIGEST_MAX_OPENINGS": 3,
    "INSTANT_DAILY_CAP": 3,
    "INACTIVE_DAYS": 730,
    "INBOUND_RETENTION_DAYS": 90,
    "USAGE_EVENTS_KEEP_DAYS": 90,  # then only their daily sums per kiosk and screen stay (usage_daily)
    "CALLBACK_RETENTION_DAYS": 30,  # a call-back request's number, then deleted
    "ACCESS_RECORD_DAYS": 731,  # access records are kept this long, and never less than two years
    "RETENTION_HOUR": 3,
    "DISPATCH_LIMIT": 500,
    "USAGE_FLUSH_SECONDS": 2.0,  # usage events wait at most this long in a web process (0: at once)
    "USAGE_BATCH": 500,  # ... or until this many wait
    "USAGE_MAX_PENDING": 20000,  # kept while the database is unavailable; older ones are dropped
    "MATCH_BATCH_SIZE": 200,  # openings per matcher transaction: bounds how long it holds the write lock
    "SPEECH_FOLDER": "",  # empty: <instance>/speech (spoken guidance, one WAV file per text and voice)
    "SPEECH_PROGRAM": "espeak-ng",
    "LOG_FORMAT": "text",  # or "json": one JSON object a line (web process and scheduler)
    # The largest request body (413 beyond it): a CSV file of openings uploaded in the console
    # (up to 20 MB, kiosk/console/openings_upload.py) with its form. Everything else is far smaller.
    "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,
}

def setting(settings: Mapping[str, Any], key: str) -> Any:
    """A setting from an app's configuration (or any mapping), else its one default above."""
    return settings.get(key, DEFAULTS[key])


def quiet_hours(settings: Mapping[str, Any]) -> tuple[str, str]:
    """The alert-free hours ("21:00", "08:00") in the center's zone."""
    return setting(settings, "QUIET_HOURS_START"), setting(settings, "QUIET_HOURS_END")


def digest_windows(settings: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """The digest windows by name, in the day's order: {"morning": ("09:00", "12:00"), ...}."""
    windows = {}
    for part in str(setting(settings, "DIGEST_WINDOWS")).split(","):
        name, hours = part.split()
        start, end = hours.split("-")
        windows[name] = (start, end)
    return windows


# Twilio's own variable names are used as they are; ours carry the JOBSTOP_ prefix.
UNPREFIXED = {k for k in DEFAULTS if k.startswith("TWILIO_")}


def _coerce(raw: str, like: Any) -> Any:
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, float):
        return float(raw)
    return raw


def from_environment(environ: os._Environ[str] | dict[str, str]) -> dict[str, Any]:
    """Settings given as JOBSTOP_* (or TWILIO_*) environment variables."""
    found: dict[str, Any] = {}
    if "JOBSTOP_DATABASE_URL" in environ:  # the name hosting platforms use; JOBSTOP_DATABASE wins
        found["DATABASE"] = environ["JOBSTOP_DATABASE_URL"]
    for key, default in DEFAULTS.items():
        name = key if key in UNPREFIXED else f"JOBSTOP_{key}"
        if name in environ:
            found[key] = _coerce(environ[name], default)
    if "JOBSTOP_SECRET_KEY" in environ:
        found["SECRET_KEY"] = environ["JOBSTOP_SECRET_KEY"]
    return found


def instance_secret_key(instance_path: str) -> str:
    """A random key kept in the instance folder (development only), shared by every process.

    The key is written whole under a temporary name and then linked into place, which fails
    if another process got there first: no process ever reads a half-written key.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            os.unlink(draft)
    return path.read_text().strip()


def public_url_problem(settings: Mapping[str, Any]) -> str | None:
    """Why Twilio could not call (or sign for) PUBLIC_URL when Twilio is configured; None if fine."""
    if not (settings.get("TWILIO_ACCOUNT_SID") and settings.get("TWILIO_AUTH_TOKEN")):
        return None
    url = urlsplit(str(settings.get("PUBLIC_URL") or ""))
    if url.scheme != "https" or not url.hostname:
        return "is not an https address"
    if url.hostname == "localhost" or _is_loopback(url.hostname):
        return "points at this machine"
    return None


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
