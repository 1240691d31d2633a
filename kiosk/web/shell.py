"""The list page's layout kept as a shell: the kiosk bar, idle dialog and page frame around the
browse area, rendered once per kiosk, language, display preferences and "back", with holes for
what belongs to this request alone (its form token, visit mark, script nonce and address).

Rendering the layout was most of the cost of a full list page; what it shows depends only on
the key below and on the holes, which are filled per request with the values the template
would have written (the same calls, so the session gets its token and mark as before).
"""

from __future__ import annotations

import re
import secrets
from typing import Any, NamedTuple

from flask import g, render_template, request, session
from markupsafe import Markup, escape

from kiosk.http.csrf import csrf_token
from kiosk.http.security_headers import csp_nonce
from kiosk.http.sessions import COOKIE_ONLY_KEYS, DISPLAY_KEYS
from kiosk.http.templating import current_language
from kiosk.web import caches
from kiosk.web.home import visit_marker

# Letters and digits only: HTML escaping and |tojson leave a mark as it is. A random part, new
# in each process and never shown (every mark is filled), so no value a visitor can type in (a
# search term in a "back" link, say) is taken for a mark: that would have put the visitor's own
# token in a link's address, or failed the page.
_MARK = f"JobStopHole{secrets.token_hex(8)}{{}}Q7x"
_MARKS = re.compile(_MARK.format("([a-z_]+)"))
PREFERENCES = tuple(key for key in DISPLAY_KEYS if key not in COOKIE_ONLY_KEYS)


class _Request(NamedTuple):
    """What the layout reads of the request, its address marked as a hole."""

    endpoint: str | None
    full_path: str


def _mark(name: str) -> Markup:
    return Markup(_MARK.format(name))


def page(template: str, **context: Any) -> str:
    """template (a kiosk screen of kiosk/layout.html) with context; the values of Markup in
    `holes` go in as they are, per request."""
    holes = {name: context.pop(name) for name in ("browse_head", "results")}
    holes.update(csrf=csrf_token(), visit=visit_marker(), nonce=csp_nonce(),
                 next=str(escape(request.full_path.rstrip("?"))))
    key = (template, request.script_root, request.endpoint, g.kiosk["code"], current_language(),
           tuple(session.get(name) for name in PREFERENCES), tuple(sorted(context.items())))
    pieces = caches.current().shells.get_or_set(key, lambda: _shell(template, holes, context))
    return "".join(holes[piece] if n % 2 else piece for n, piece in enumerate(pieces))


def _shell(template: str, holes: dict[str, Any], context: dict[str, Any]) -> tuple[str, ...]:
    html = render_template(
        template, **context, **{name: _mark(name) for name in ("browse_head", "results")},
        csrf_token=lambda: _mark("csrf"), visit_marker=lambda: _mark("visit"),
        csp_nonce=lambda: _mark("nonce"), request=_Request(request.endpoint, _mark("next") + "?"))
    pieces = tuple(_MARKS.split(html))
    if not set(pieces[1::2]) <= set(holes):
        raise ValueError(f"a mark the shell does not fill: {set(pieces[1::2]) - set(holes)}")
    return pieces
