"""Who is asking: the client address and the kiosk device.

A kiosk device is a browser enrolled for one kiosk (kiosk.places.devices): its credential is a
long-lived, signed, HttpOnly cookie naming the device row, which outlives each visitor's session.
A kiosk's screens answer only a browser holding a valid credential for that kiosk; any other
gets the plain "not a registered kiosk" page (403). With KIOSK_AUTO_ENROL (the demo, development
mode, the tests' app) a browser without one is enrolled for the kiosk it opens.

Hourly caps count per device row and per client address, as keyed fingerprints
(kiosk.core.limits): a device cannot reset its counts by changing the kiosk in the address
(another kiosk refuses it) or by dropping its cookie (it is no longer a kiosk). The address is
the one ProxyFix leaves in remote_addr behind a configured proxy.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, make_response, render_template, request
from itsdangerous import BadSignature, URLSafeSerializer

from kiosk.core import limits
from kiosk.core.db import Row
from kiosk.core.limits import Cap
from kiosk.http import signed
from kiosk.http.db import get_db
from kiosk.places import devices

DEVICE_COOKIE = "jobstop_device"
DEVICE_DAYS = 400  # the longest a browser keeps a cookie; renewed as the device reports in
KIOSK_BLUEPRINT = "kiosk"
SALT = "jobstop.kiosk-device"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def credential(device: Row) -> str:
    """The cookie value naming a device: its row id and kiosk, signed."""
    return _signer().dumps([device["id"], device["kiosk_code"]])


def _sent_device() -> Row | None:
    """The device row the request's credential names, enabled, or None."""
    try:
        device_id, kiosk_code = signed.loads(current_app.secret_key, SALT, request.cookies.get(DEVICE_COOKIE, ""))
    except (BadSignature, TypeError, ValueError):
        return None
    device = devices.get(get_db(), device_id) if isinstance(device_id, int) else None
    if device is None or device["kiosk_code"] != kiosk_code or device["disabled_at"] is not None:
        return None
    return device


def auto_enrol() -> bool:
    return bool(current_app.config["KIOSK_AUTO_ENROL"] or current_app.config["DEVELOPMENT"])


def admit(kiosk: Row) -> Row | None:
    """This request's device for `kiosk` (enrolled now when automatic enrolment is on), noted as
    seen; None: this browser is not that kiosk."""
    now = current_app.extensions["clock"].now()
    device = _sent_device()
    if device is None or device["kiosk_code"] != kiosk["code"]:
        if not auto_enrol():
            return None
        device = devices.enrol_automatically(get_db(), kiosk["code"], now)
        remember(device)
    elif devices.seen(get_db(), device, now):
        remember(device)  # the cookie's life starts again as the device reports in
    g.device = device
    return device


def remember(device: Row) -> None:
    """The response gives this browser the device's credential."""
    g.device, g.device_cookie = device, credential(device)


def refusal() -> Response:
    """The plain page a browser that is not this kiosk gets instead of it."""
    response = make_response(render_template("kiosk/not_enrolled.html"), 403)
    response.headers["Cache-Control"] = "no-store"
    return response


def _guard_kiosk_screens() -> Response | None:
    """Before any other check of a kiosk screen's request (CSRF included): is this the kiosk?"""
    kiosk = g.get("kiosk")
    if request.blueprint != KIOSK_BLUEPRINT or kiosk is None:
        return None
    return None if admit(kiosk) is not None else refusal()


def device_id() -> str:
    """The enrolled device of this request, as caps count it."""
    device = g.get("device")
    return f"device:{device['id']}" if device is not None else f"no-device:{request.remote_addr or ''}"


def caps(action: str, **narrow: str) -> list[Cap]:
    """The caps one `action` of this request counts toward: its client address, its device, the
    installation, and any narrower ones given as scope=value (number=phone, visitor=...).

    The settings are <ACTION>S_PER_<SCOPE>_PER_HOUR and <ACTION>S_PER_HOUR, in kiosk.core.config.
    """
    return limits.caps(current_app.config, action, current_app.config["SECRET_KEY"],
                       client=request.remote_addr or "", device=device_id(), **narrow)


def _set_device_cookie(response: Response) -> Response:
    if g.get("device_cookie"):
        response.set_cookie(DEVICE_COOKIE, g.device_cookie, max_age=DEVICE_DAYS * 86400, httponly=True,
                            samesite="Strict", path="/", secure=current_app.config["PUBLIC_URL"].startswith("https:"))
    return response


def init_app(app: Flask) -> None:
    """Before the CSRF check: a browser that is not the kiosk learns only that."""
    app.before_request(_guard_kiosk_screens)
    app.after_request(_set_device_cookie)
