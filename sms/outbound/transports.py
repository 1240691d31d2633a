"""Transports: how a message leaves JobStop. Twilio in production, a stored copy offline.

A transport has two members: `name` and `send(message) -> SendResult`. It never touches
the database; the dispatcher records what the result says.
"""

from __future__ import annotations

import logging
import queue
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

log = logging.getLogger(__name__)

# Twilio's answers that mean "this message can never go": bad number, unreachable, blocked.
UNSUBSCRIBED = 21610
RATE_LIMITED = 20429
QUEUE_FULL = 21611  # our From number's queue at Twilio is full: the message is fine, try later
RETRY_CODES = frozenset({RATE_LIMITED, QUEUE_FULL})
# 401/403 mean our credentials are wrong: a fixable configuration fault, not the message's.
RETRY_STATUSES = frozenset({401, 403, 408, 409, 429})


@dataclass(frozen=True)
class Outgoing:
    id: int
    to: str
    body: str


@dataclass(frozen=True)
class SendResult:
    outcome: str                      # 'accepted', 'retry', 'failed', 'unsubscribed' or 'unsent' (held back)
    sid: str | None = None
    status: str | None = None         # the provider's status at acceptance ('queued', 'delivered', ...)
    segments: int | None = None
    error_code: int | None = None
    error_text: str | None = None
    retry_after: float | None = None  # seconds the provider asked us to wait


class Transport(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, message: Outgoing) -> SendResult: ...


class DevTransport:
    """Sends nothing: the outbox row itself is the stored copy, shown on /dev/sms as delivered."""

    name = "dev"

    def send(self, message: Outgoing) -> SendResult:
        return SendResult("accepted", sid=f"DEV{uuid.uuid4().hex}", status="delivered")


class RoutedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client with https://*.twilio.com rewritten to another base URL."""

    HOST = re.compile(r"^https://[A-Za-z0-9.-]*twilio\.com(?=/|$)")

    def __init__(self, base_url: str | None = None, headers: dict[str, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.extra_headers = dict(headers or {})
        self.last_headers: Any = None

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: dict[str, str] | None = None, *args: Any, **kwargs: Any) -> Any:
        if self.base_url:
            url = self.HOST.sub(self.base_url, url)
        self.last_headers = None
        headers = {**(headers or {}), **self.extra_headers}
        response = super().request(method, url, params, data, headers, *args, **kwargs)
        self.last_headers = response.headers
        return response


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class TwilioTransport:
    """The official twilio client, from a pool: each concurrent sender uses its own client."""

    name = "twilio"

    def __init__(self, *, account_sid: str, auth_token: str, from_number: str = "",
                 messaging_service_sid: str = "", status_callback: str | None = None,
                 base_url: str = "", timeout: float = 10.0, headers: dict[str, str] | None = None) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("Twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
        self.account_sid, self.auth_token = account_sid, auth_token
        self.from_number, self.messaging_service_sid = from_number, messaging_service_sid
        self.status_callback, self.base_url, self.timeout = status_callback, base_url, timeout
        self.headers = headers  # sent with every request (a staging peer's routing, a mock's Prefer)
        self._idle: queue.SimpleQueue[Client] = queue.SimpleQueue()

    def _client(self) -> Client:
        """An idle client from the pool (kept across dispatch passes, so connections stay open)."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            http = RoutedHttpClient(self.base_url or None, self.headers, timeout=self.timeout)
            return Client(self.account_sid, self.auth_token, http_client=http)

    def _params(self, message: Outgoing) -> dict[str, Any]:
        params: dict[str, Any] = {"to": message.to, "body": message.body}
        if self.messaging_service_sid:
            params["messaging_service_sid"] = self.messaging_service_sid
        else:
            params["from_"] = self.from_number
        if self.status_callback:
            params["status_callback"] = self.status_callback
        return params

    def send(self, message: Outgoing) -> SendResult:
        client = self._client()
        try:
            created = client.messages.create(**self._params(message))
        except (TwilioRestException, TwilioServiceException) as exc:
            return self._classify(exc, client.http_client)
        except requests.Timeout as exc:
            return SendResult("retry", error_text=f"timeout: {type(exc).__name__}")
        except requests.RequestException as exc:
            return SendResult("retry", error_text=f"connection: {type(exc).__name__}")
        finally:
            self._idle.put(client)  # one sender at a time uses a client; its HTTP session is not shared
        segments = int(created.num_segments) if str(created.num_segments or "").isdigit() else None
        return SendResult("accepted", sid=created.sid, status=created.status, segments=segments)

    def _classify(self, exc: TwilioRestException | TwilioServiceException, http: Any) -> SendResult:
        status = int(exc.status)
        code = int(exc.code) if exc.code is not None else None
        text = (getattr(exc, "msg", None) or getattr(exc, "title", None) or str(status))[:500]
        if code in RETRY_CODES or status >= 500 or status in RETRY_STATUSES:
            headers = getattr(http, "last_headers", None) or {}
            return SendResult("retry", error_code=code or status, error_text=text,
                              retry_after=retry_after_seconds(headers.get("Retry-After")))
        if code == UNSUBSCRIBED:
            return SendResult("unsubscribed", error_code=code, error_text=text)
        return SendResult("failed", error_code=code or status, error_text=text)


def twilio_configured(config: Any) -> bool:
    return bool(config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN"))
