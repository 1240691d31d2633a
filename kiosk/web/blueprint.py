"""The kiosk blueprint itself: the kiosk in every URL, and no screen kept in a cache."""


from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, make_response
from flask.blueprints import BlueprintSetupState

from kiosk.http.db import get_db
from kiosk.places import kiosks
from kiosk.web import caches

bp = Blueprint("kiosk", __name__, url_prefix="/k/<kiosk_code>")


@bp.record_once
def keep_per_app(state: BlueprintSetupState) -> None:
    """The screens' caches live in the app they serve, so two apps never share an entry."""
    caches.init_app(state.app)


@bp.url_value_preprocessor
def load_kiosk(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    code = (values or {}).pop("kiosk_code", None)
    db = get_db()
    g.kiosk = caches.current().kiosks.get(db, code, lambda: kiosks.get(db, code)) if code else None
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
