"""The kiosk blueprint: every screen a passer-by sees at /k/<kiosk-code>/.

Screens are split by what the visitor is doing (browse, register, booking); each module
adds its routes to this one blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, current_app, g, make_response, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from kiosk import kiosks
from kiosk.db import get_db
from kiosk.web.memo import Memo

bp = Blueprint("kiosk", __name__, url_prefix="/k/<kiosk_code>")
_kiosks = Memo("kiosks", 256)  # every request reads its kiosk; they change rarely


@bp.url_value_preprocessor
def load_kiosk(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    code = (values or {}).pop("kiosk_code", None)
    db = get_db()
    g.kiosk = _kiosks.get(db, code, lambda: kiosks.get(db, code)) if code else None
    if g.kiosk is None:
        abort(404)


@bp.url_defaults
def add_kiosk_code(_endpoint: str, values: dict[str, Any]) -> None:
    if "kiosk_code" not in values and g.get("kiosk") is not None:
        values["kiosk_code"] = g.kiosk["code"]


def no_store(view: Callable[..., Any]) -> Callable[..., Any]:
    """Marks a view's responses `Cache-Control: no-store`: nothing personal stays in a cache.

    Every response of the kiosk blueprint already gets it; use this on other blueprints.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


@bp.after_request
def never_cache_kiosk_screens(response: Any) -> Any:
    """A kiosk screen shows one visitor's choices; the browser must not keep it for the next."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<path:unknown>")
def unknown_screen(unknown: str) -> None:
    """A mistyped or stale address on a known kiosk: that kiosk's own "not found" screen."""
    abort(404)


@bp.errorhandler(HTTPException)
def kiosk_error(error: HTTPException) -> tuple[str, int]:
    """An error on a kiosk's screen, inside its layout: home, back, language and the idle reset
    stay, so the next visitor never finds the previous one's screen. Unknown kiosks get the
    plain error page."""
    from kiosk import error_key
    from kiosk.templating import t

    code, key = error.code or 500, error_key(error)
    if g.get("kiosk") is not None:
        try:
            return render_template("kiosk/error.html", message=t(key), code=code,
                                   back_url=_back_from_error()), code
        except Exception:  # the layout itself failed (a broken database): the plain page
            current_app.logger.exception("kiosk error screen failed")
    return render_template("error.html", message=t(key), code=code), code


def _back_from_error() -> str:
    """From a stale opening or region screen, the list it came from; from anything else, home."""
    from kiosk.web.browse import list_url

    if request.endpoint in ("kiosk.opening", "kiosk.choose_region"):
        return list_url()
    return url_for("kiosk.home")


from kiosk.web import (  # noqa: E402,F401  (routes attach to bp)
    booking,
    browse,
    home,
    mypage,
    phone_actions,
    register,
    verify,
)
