"""Programs in the console: a seeker's programs set on their page (anyone who may see them), and
the list itself (admin): add one, rename it, stop or start offering it, remove one no seeker
was ever in. A program someone is in is never removed, only no longer offered: the kiosk stops
showing it and the figures keep counting it.
"""

from __future__ import annotations

import re

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import note_access, signed_in
from kiosk.console.seekers import READERS, kept_reason, render_seeker, visible_or_403
from kiosk.core.db import transaction
from kiosk.http.db import get_db
from kiosk.http.now import app_now
from kiosk.seekers import programs

CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
Page = tuple[str, int] | Response


@console.post("/seekers/<id:seeker_id>/programs")
@signed_in(*READERS)
def seeker_programs(seeker_id: int) -> Page:
    profile = visible_or_403(seeker_id)
    reason = kept_reason(seeker_id)
    if reason is None or profile["status"] != "active":
        return redirect(url_for("console.seeker", seeker_id=seeker_id), 303)
    db = get_db()
    wanted = list(dict.fromkeys(request.form.getlist("program")))
    mine = programs.of_seeker(db, seeker_id)
    allowed = set(programs.offered(db)) | set(mine)  # one no longer offered may stay, not be added
    if any(code not in allowed for code in wanted):
        return render_seeker(profile, reason, forms={"programs": ({"program": wanted},
                                                                  {"program": "records.error.program"})}, status=422)
    if set(wanted) != set(mine):
        with transaction(db):
            programs.set_for_seeker(db, seeker_id, wanted, by="staff", now=app_now())
            note_access("change", "programs set: " + (", ".join(wanted) or "none"), seeker_id=seeker_id,
                        reason=reason)
    return redirect(url_for("console.seeker", seeker_id=seeker_id, changed="programs", _anchor="programs"), 303)


def _page(errors: dict[str, str] | None = None, typed: dict[str, str] | None = None, status: int = 200) -> Page:
    return render_template("console/programs.html", rows=programs.listing(get_db()), errors=errors or {},
                           typed=typed or {}, label=programs.label, notice=request.args.get("notice", "")), status


def _name_error(name: str) -> str | None:
    return None if 1 <= len(name) <= programs.NAME_LENGTH else "records.error.program_name"


@console.route("/programs", methods=["GET", "POST"], endpoint="programs")
@signed_in("admin")
def program_list() -> Page:
    if request.method == "GET":
        return _page()
    name = " ".join(request.form.get("name", "").split())
    if (problem := _name_error(name)) is not None:
        return _page({"name": problem}, {"name": name}, 422)
    programs.add_named(get_db(), name)  # the same name sent twice is the same program
    return redirect(url_for("console.programs", notice="added"), 303)


@console.post("/programs/<code>")
@signed_in("admin")
def program_change(code: str) -> Page:
    db = get_db()
    if not CODE.fullmatch(code) or code not in programs.every(db):
        abort(404)
    action = request.form.get("action", "")
    if action == "rename":
        name = " ".join(request.form.get("name", "").split())
        if name and (problem := _name_error(name)) is not None:
            return _page({f"name_{code}": problem}, {f"name_{code}": name}, 422)
        programs.rename(db, code, name or None)
    elif action in ("off", "on"):
        programs.set_offered(db, code, action == "on")
    elif action == "remove":
        if not programs.remove_unused(db, code):
            return _page({f"remove_{code}": "records.error.program_in_use"}, status=422)
    else:
        abort(400)
    with transaction(db):
        note_access("change", f"program {code}: {action}")
    return redirect(url_for("console.programs", notice=action), 303)
