"""Who is asking, as far as hourly caps need to know: the client address and the kiosk device.

The device is a random id in a long-lived cookie of its own, not in the visitor's session
(which ends with each visitor), so a kiosk's count carries from one visitor to the next. Both
are counted only as keyed fingerprints (kiosk.core.limits); the address is the one ProxyFix
leaves in remote_addr behind a configured proxy.
"""

from __future__ import annotations

import re
import secrets

from flask import Flask, Response, current_app, g, request

from kiosk.core import limits
from kiosk.core.limits import Cap

DEVICE_COOKIE = "jobstop_device"
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{22}")
DEVICE_DAYS = 400


def device_id() -> str:
    """This browser's device id, made on first use (the response then sets its cookie)."""
    if "device_id" not in g:
        sent = request.cookies.get(DEVICE_COOKIE, "")
        g.device_id = sent if DEVICE_ID.fullmatch(sent) else secrets.token_urlsafe(16)
        g.device_new = g.device_id != sent
    return g.device_id


def caps(action: str, **narrow: str) -> list[Cap]:
    """The caps one `action` of this request counts toward: its client address, its device, the
    installation, and any narrower ones given as scope=value (number=phone, visitor=...).

    The settings are <ACTION>S_PER_<SCOPE>_PER_HOUR and <ACTION>S_PER_HOUR, in kiosk.core.config.
    """
    return limits.caps(current_app.config, action, current_app.config["SECRET_KEY"],
                       client=request.remote_addr or "", device=device_id(), **narrow)


def _set_device_cookie(response: Response) -> Response:
    if g.get("device_new"):
        response.set_cookie(DEVICE_COOKIE, g.device_id, max_age=DEVICE_DAYS * 86400, httponly=True,
                            samesite="Strict", path="/", secure=current_app.config["PUBLIC_URL"].startswith("https:"))
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_device_cookie)
