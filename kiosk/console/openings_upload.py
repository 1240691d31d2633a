"""Uploading a CSV file of openings in the console, its progress and its report.

The upload's request stores nothing but the run (kiosk.openings.uploads) and starts the import
in a thread of this process, then sends the browser to the run's page. That page polls itself
with htmx every second (any worker answers: the progress is in the database) and shows the
command's line-by-line report when the import is done; polling stops with status 286.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import current_staff, signed_in
from kiosk.console.openings import MANAGERS, form_token
from kiosk.core.i18n import translate
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.now import app_now
from kiosk.http.templating import current_language
from kiosk.openings import uploads

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # about 60,000 openings with descriptions
STOP_POLLING = 286  # htmx stops polling on this status


def _upload_page(errors: dict[str, str], token: str, status: int = 200) -> tuple[str, int]:
    return render_template("console/openings/upload.html", errors=errors, token=token,
                           most=MAX_UPLOAD_BYTES // (1024 * 1024)), status


@console.get("/openings/upload")
@signed_in(*MANAGERS)
def openings_upload() -> tuple[str, int]:
    return _upload_page({}, secrets.token_urlsafe(12))


@console.post("/openings/upload")
@signed_in(*MANAGERS)
def openings_upload_post() -> Response | tuple[str, int]:
    token = form_token(request.form.get("token", ""))
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        return _upload_page({"file": "console_openings.upload.no_file"}, token, 422)
    data = chosen.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _upload_page({"file": "console_openings.upload.too_big"}, token, 422)
    if not data.strip():
        return _upload_page({"file": "console_openings.upload.empty"}, token, 422)
    staff = current_staff()
    assert staff is not None
    run_id, created = uploads.start(get_db(), token=token, staff_id=staff.id, file_name=chosen.filename,
                                    now=app_now())
    if created:  # a second submit of the same form finds the run the first one started
        uploads.start_in_background(current_app.config["DATABASE"], run_id, data,
                                    current_app.extensions["clock"])
    return redirect(url_for("console.openings_upload_run", run_id=run_id), 303)


@console.get("/openings/uploads/<id:run_id>")
@signed_in(*MANAGERS)
def openings_upload_run(run_id: int) -> tuple[str, int]:
    run = uploads.get(get_db(), run_id)
    if run is None:
        abort(404)
    staff = current_staff()
    assert staff is not None
    if staff.role != "admin" and run.staff_id != staff.id:
        abort(403)
    lang = current_language()
    context = {"run": run, "stalled": run.stalled(app_now()),
               "problems": [(p.line, p.column, p.text(lang)) for p in run.problems],
               "summary": translate("kiosk.import.summary", lang, rows=run.rows_read, changed=run.rows_changed,
                                    unchanged=run.unchanged, rejected=run.rejected)}
    if htmx:
        status = 200 if run.running and not context["stalled"] else STOP_POLLING
        return render_template("console/openings/_run.html", **context), status
    return render_template("console/openings/run.html", **context), 200
