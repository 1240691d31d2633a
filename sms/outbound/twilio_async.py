"""Twilio through the official client's asynchronous HTTP client (aiohttp): every request of
the process on one event loop in one thread, over kept-alive connections.

The dispatcher hands a message over with `start(message, done)`, or a paced slice of them
with `start_all`: each message with the instant (time.monotonic) it may go, which the loop
keeps itself, so the dispatcher's thread wakes once a slice, not once a message. Each
SendResult comes back in `done`, called on the loop's thread; at most `senders` requests are
in flight at once. An answer asking to wait (a Retry-After, a rate limit) holds the messages
of the slice not yet sent: they come back as 'unsent'. Per message this costs a fraction of
a thread per request through `requests`, and nothing is logged per request unless the
`twilio` loggers are set to DEBUG.
"""

from __future__ import annotations

import asyncio
import base64
import contextvars
import logging
import math
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import ClientSession, ClientTimeout, DummyCookieJar
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from kiosk.core.config import setting
from sms.outbound.pacing import Settings, pause_for
from sms.outbound.transports import (
    DevTransport,
    Outgoing,
    RoutedHttpClient,
    SendResult,
    Transport,
    TwilioTransport,
    twilio_configured,
)

log = logging.getLogger(__name__)
TURN_SECONDS = 0.1  # paced messages due within the same tenth of a second go out in one turn of the loop
_headers: contextvars.ContextVar[Any] = contextvars.ContextVar("twilio_response_headers", default=None)


class RoutedAsyncHttpClient(AsyncTwilioHttpClient):
    """Twilio's asynchronous HTTP client, its requests sent to another base URL when one is set,
    each answer's headers kept for the request's own task (a Retry-After), no per-request INFO lines."""

    def __init__(self, base_url: str | None, headers: dict[str, str] | None, timeout: float) -> None:
        super().__init__(pool_connections=False, timeout=timeout)
        self.session = ClientSession(cookie_jar=DummyCookieJar())  # kept alive; Twilio sets no cookies to keep
        self.base_url = base_url.rstrip("/") if base_url else None
        self.extra_headers = dict(headers or {})
        self.client_timeout = ClientTimeout(total=timeout)
        self._auth: tuple[tuple[str, str], str] | None = None  # (login, password), its header

    async def request(self, method: str, url: str, params: Any = None, data: Any = None,  # noqa: ANN401
                      headers: dict[str, str] | None = None, auth: tuple[str, str] | None = None,
                      timeout: float | None = None, allow_redirects: bool = False) -> Response:
        if self.base_url:
            url = RoutedHttpClient.HOST.sub(self.base_url, url)
        headers = {**(headers or {}), **self.extra_headers}
        if auth is not None:
            if self._auth is None or self._auth[0] != auth:
                self._auth = (auth, "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
            headers["Authorization"] = self._auth[1]
        if isinstance(data, dict):  # encoded here: aiohttp would build a form (and a multipart writer) for it
            data = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.logger.isEnabledFor(logging.DEBUG):
            self.log_request({"method": method, "url": url, "params": params, "headers": headers})
        async with self.session.request(
                method.upper(), url, params=params, data=data, headers=headers, allow_redirects=allow_redirects,
                timeout=ClientTimeout(total=timeout) if timeout else self.client_timeout) as answer:
            text = await answer.text()
        _headers.set(answer.headers)
        return Response(answer.status, text, answer.headers)


class AsyncTwilioTransport(TwilioTransport):
    """The official twilio client on an event loop of its own; `send` waits for `start`'s answer."""

    def __init__(self, *, senders: int = 8, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(**kwargs)
        self.senders = senders
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Lock()
        self._state: dict[str, Any] = {}

    def _start_loop(self) -> asyncio.AbstractEventLoop:
        with self._ready:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                started = threading.Event()
                threading.Thread(target=_serve, args=(loop, started), name="sms-twilio-loop", daemon=True).start()
                started.wait()
                asyncio.run_coroutine_threadsafe(self._open(), loop).result()
                weakref.finalize(self, _close, loop, self._state)
                self._loop = loop
        return self._loop

    def prepare(self) -> None:
        """The loop and the client made before the first message is paced (they take a moment)."""
        self._start_loop()

    async def _open(self) -> None:
        http = RoutedAsyncHttpClient(self.base_url or None, self.headers, self.timeout)
        client = Client(self.account_sid, self.auth_token, http_client=http)
        client.messages  # noqa: B018 - the Messages API's modules are imported now, not on the first send
        self._state.update(http=http, client=client, slots=asyncio.Semaphore(self.senders))

    def start(self, message: Outgoing, done: Callable[[SendResult], None]) -> None:
        """Sends in the background; done(result) is called on the loop's thread."""
        loop = self._start_loop()
        loop.call_soon_threadsafe(_spawn, loop, self._state, self._send_async(message, done))

    def start_all(self, paced: list[tuple[Outgoing, float, Callable[[SendResult], None]]]) -> None:
        """Sends each message at its instant (time.monotonic), in one hand-over to the loop."""
        loop = self._start_loop()
        loop.call_soon_threadsafe(self._schedule, loop, paced)

    def _schedule(self, loop: asyncio.AbstractEventLoop,
                  paced: list[tuple[Outgoing, float, Callable[[SendResult], None]]]) -> None:
        """Each message at its instant, those within TURN_SECONDS of each other in one turn of the
        loop (one wake-up for them, their answers close together too)."""
        self._state["slices"] = handed = self._state.get("slices", 0) + 1
        turns: dict[float, list[tuple[Outgoing, Callable[[SendResult], None]]]] = {}
        for message, at, done in paced:
            turns.setdefault(math.floor(at / TURN_SECONDS) * TURN_SECONDS, []).append((message, done))
        lag = loop.time() - time.monotonic()  # the loop keeps its own clock
        for at, messages in turns.items():
            loop.call_at(at + lag, _spawn_sends, loop, self, messages, handed)

    async def _send_async(self, message: Outgoing, done: Callable[[SendResult], None], handed: int = 0) -> None:
        """Sends one message; one of a slice handed over before an answer asked to wait comes back
        'unsent' until that pause has passed (the dispatcher decides about later slices)."""
        state, clock = self._state, asyncio.get_running_loop().time
        async with state["slots"]:
            held_until, held_slices = state.get("hold", (0.0, 0))
            if handed and handed <= held_slices and held_until > clock():
                result = SendResult("unsent", error_text="held back by the provider's pause")
            else:
                result = await self._result(message)
                if pause := pause_for(result):
                    held_until = state.get("hold", (0.0, 0))[0]
                    state["hold"] = (max(held_until, clock() + pause), state.get("slices", 0))
        done(result)

    async def _result(self, message: Outgoing) -> SendResult:
        try:
            created = await self._state["client"].messages.create_async(**self._params(message))
        except (TwilioRestException, TwilioServiceException) as exc:
            return self._classify(exc, _Answer(_headers.get()))
        except TimeoutError as exc:
            return SendResult("retry", error_text=f"timeout: {type(exc).__name__}")
        except aiohttp.ClientError as exc:
            return SendResult("retry", error_text=f"connection: {type(exc).__name__}")
        except Exception as exc:  # a bug must not strand the row in 'sending'
            log.exception("twilio (asynchronous) raised for message %s", message.id)
            return SendResult("retry", error_text=f"transport error: {type(exc).__name__}")
        segments = int(created.num_segments) if str(created.num_segments or "").isdigit() else None
        return SendResult("accepted", sid=created.sid, status=created.status, segments=segments)

    def send(self, message: Outgoing) -> SendResult:
        answered, box = threading.Event(), []
        self.start(message, lambda result: (box.append(result), answered.set()))
        answered.wait()
        return box[0]


class _Answer:
    """What _classify reads from an HTTP client: the failed answer's headers."""

    def __init__(self, headers: Any) -> None:  # noqa: ANN401
        self.last_headers = headers


def _serve(loop: asyncio.AbstractEventLoop, started: threading.Event) -> None:
    asyncio.set_event_loop(loop)
    loop.call_soon(started.set)
    loop.run_forever()
    loop.close()


def _spawn(loop: asyncio.AbstractEventLoop, state: dict[str, Any], work: Any) -> None:  # noqa: ANN401
    tasks = state.setdefault("tasks", set())  # kept until done: the loop holds tasks only weakly
    task = loop.create_task(work)
    tasks.add(task)
    task.add_done_callback(tasks.discard)


def _spawn_sends(loop: asyncio.AbstractEventLoop, transport: AsyncTwilioTransport,
                 messages: list[tuple[Outgoing, Callable[[SendResult], None]]], handed: int) -> None:
    for message, done in messages:
        _spawn(loop, transport._state, transport._send_async(message, done, handed))  # noqa: SLF001 - its own loop


def _close(loop: asyncio.AbstractEventLoop, state: dict[str, Any]) -> None:
    """Closes the connections and stops the loop (the transport was dropped, or at exit)."""
    if loop.is_closed() or "http" not in state:
        return
    try:
        asyncio.run_coroutine_threadsafe(state["http"].close(), loop).result(timeout=5)
    except Exception:  # noqa: BLE001 - closing at exit: nothing more to do
        log.debug("closing the Twilio connections failed", exc_info=True)
    loop.call_soon_threadsafe(loop.stop)


def from_config(config: Any) -> Transport:
    """Twilio (its asynchronous client, as many requests at once as the dispatcher's senders) when
    TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else DevTransport."""
    if not twilio_configured(config):
        return DevTransport()
    return AsyncTwilioTransport(
        senders=Settings.from_config(config).senders,
        account_sid=config["TWILIO_ACCOUNT_SID"], auth_token=config["TWILIO_AUTH_TOKEN"],
        from_number=setting(config, "TWILIO_FROM_NUMBER"),
        messaging_service_sid=setting(config, "TWILIO_MESSAGING_SERVICE_SID"),
        status_callback=setting(config, "PUBLIC_URL").rstrip("/") + "/sms/status",
        base_url=setting(config, "TWILIO_API_BASE_URL"),
        timeout=float(setting(config, "SMS_HTTP_TIMEOUT")),
    )
