"""Errors on a kiosk's screens, inside the kiosk's layout."""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, g, render_template, request, url_for
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Response

from kiosk.http import clients
from kiosk.http.errors import allow_header, error_key
from kiosk.http.extensions import htmx
from kiosk.http.templating import t
from kiosk.web.blueprint import bp, load_kiosk
from kiosk.web.browse import list_url


@bp.errorhandler(HTTPException)
def kiosk_error(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    """An error on a kiosk's screen, inside its layout: home, back, language and the idle reset
    stay, so the next visitor never finds the previous one's screen. Unknown kiosks get the
    plain error page. An htmx request over a rate limit gets only the notice, which htmx shows
    where its answer would have gone (base.html's responseHandling)."""
    code, key = error.code or 500, error_key(error)
    if htmx and code == 429:
        return render_template("_error_notice.html", message=t(key)), code, {}
    if g.get("kiosk") is not None:
        try:
            return render_template("kiosk/error.html", message=t(key), code=code,
                                   back_url=_back_from_error()), code, allow_header(error)
        except Exception:  # the layout itself failed (a broken database): the plain page
            current_app.logger.exception("kiosk error screen failed")
    return render_template("error.html", message=t(key), code=code), code, allow_header(error)


def refused_screen(error: HTTPException, kiosk_code: str) -> tuple[str, int, dict[str, str]] | Response:
    """A kiosk's address refused before any view ran (a method it does not take): the same
    screen as any other error there, in the kiosk's layout when the kiosk exists and this
    browser is that kiosk (any other browser learns only that it is not)."""
    with suppress(NotFound):  # no such kiosk: the plain error page
        load_kiosk(None, {"kiosk_code": kiosk_code})
    if g.get("kiosk") is not None and clients.admit(g.kiosk) is None:
        return clients.refusal()
    return kiosk_error(error)


def _back_from_error() -> str:
    """From a stale opening or region screen, the list it came from; from anything else, home."""
    if request.endpoint in ("kiosk.opening", "kiosk.choose_region"):
        return list_url()
    return url_for("kiosk.home")
