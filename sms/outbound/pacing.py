"""How hard the dispatcher pushes: its settings, the chunk and lease they imply, backoff and pauses.

Pure arithmetic on settings and answers; the dispatcher (sms.outbound.dispatch) applies it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from kiosk.core.config import DEFAULTS, quiet_hours, setting
from sms.outbound.transports import RETRY_CODES, SendResult

BACKOFF_BASE_SECONDS = 30.0
BACKOFF_CAP_SECONDS = 3600.0
RATE_LIMIT_PAUSE_SECONDS = 5.0  # a rate limit or a full sender queue without Retry-After
RATE_LIMITED = RETRY_CODES | {429}  # plus HTTP 429 without a Twilio code
# Senders the rate needs when SMS_SENDERS is 0 (the default): requests in flight at once =
# rate x the time one takes. Twilio answers in 0.2-0.3 s; half a second leaves room.
ANSWER_SECONDS = 0.5
MIN_SENDERS, UNLIMITED_SENDERS = 4, 8


def senders_for(rate: float, configured: int = 0) -> int:
    """Concurrent senders: SMS_SENDERS when set, else enough for the rate (4 at least)."""
    if configured > 0:
        return configured
    return max(MIN_SENDERS, math.ceil(rate * ANSWER_SECONDS)) if rate > 0 else UNLIMITED_SENDERS


@dataclass(frozen=True)
class Settings:
    rate: float = DEFAULTS["SMS_RATE_PER_SECOND"]  # messages per second; 0 = unlimited
    senders: int = senders_for(DEFAULTS["SMS_RATE_PER_SECOND"], DEFAULTS["SMS_SENDERS"])
    max_attempts: int = DEFAULTS["SMS_MAX_ATTEMPTS"]
    quiet_hours: tuple[str, str] = quiet_hours(DEFAULTS)
    zone: str = DEFAULTS["TIMEZONE"]
    http_timeout: float = DEFAULTS["SMS_HTTP_TIMEOUT"]
    lease_seconds: float = DEFAULTS["SMS_LEASE_SECONDS"]  # the shortest claim; a dead dispatcher's rows wait this long

    @classmethod
    def from_config(cls, config: dict) -> Settings:
        rate = float(setting(config, "SMS_RATE_PER_SECOND"))
        return cls(rate=rate, senders=senders_for(rate, int(setting(config, "SMS_SENDERS"))),
                   max_attempts=max(1, int(setting(config, "SMS_MAX_ATTEMPTS"))),
                   quiet_hours=quiet_hours(config), zone=setting(config, "TIMEZONE"),
                   http_timeout=float(setting(config, "SMS_HTTP_TIMEOUT")),
                   lease_seconds=float(setting(config, "SMS_LEASE_SECONDS")))

    def chunk(self) -> int:
        """Rows claimed at once: two seconds of work, so a code never waits longer behind a digest
        run (the next chunk is claimed as the last row of this one is handed out)."""
        return max(1, math.ceil(self.rate * 2)) if self.rate > 0 else self.senders * 8

    def lease(self) -> timedelta:
        """How long a claim is ours: the chunk's sending time plus two slow answers, at least lease_seconds."""
        seconds = self.chunk() / self.rate if self.rate > 0 else self.chunk() * self.http_timeout / self.senders
        return timedelta(seconds=max(self.lease_seconds, seconds + 2 * self.http_timeout))


def backoff(attempts: int, retry_after: float | None) -> float:
    """Seconds before the next try: exponential with jitter, never sooner than Retry-After."""
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return max(retry_after or 0.0, delay * random.uniform(0.5, 1.5))


def pause_for(result: SendResult) -> float:
    """Seconds every sender should wait after this answer: its Retry-After, or a rate limit's default."""
    if result.outcome != "retry":
        return 0.0
    if result.retry_after is not None:
        return result.retry_after
    return RATE_LIMIT_PAUSE_SECONDS if result.error_code in RATE_LIMITED else 0.0
