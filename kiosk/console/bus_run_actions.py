"""Cancelling a coming run of the job bus (asked once more first) and importing a season's
runs from a CSV file, with the import's line-by-line report.

Cancelling: the confirmation says whether the day-before notice went out; those it reached are
texted that the run is cancelled (kiosk.outreach.cancellation: through the outbox, held in the
quiet hours, never after STOP), and a notice still waiting is withdrawn; appointments booked
aboard for later that day are cancelled, the seeker and the counselor told. A run that is over
cannot be cancelled. The import is the command's (kiosk.outreach.schedule_import): a season is
a few hundred rows, so the request does it and answers with the report; a second upload of the
same file plans nothing more.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import note_access, signed_in, visible_centers
from kiosk.console.bus_runs import PLANNERS, Page, run_or_404
from kiosk.core.db import Row
from kiosk.core.i18n import translate
from kiosk.http.db import get_db
from kiosk.http.now import app_now, app_today
from kiosk.http.templating import current_language
from kiosk.outreach import cancellation, schedule_import, texts

MAX_UPLOAD_BYTES = 1024 * 1024  # some 8,000 runs: years of seasons


def _ends(run: Row) -> datetime:
    return texts.at(run, "ends").replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _cancel_page(run: Row, error: str = "", status: int = 200) -> Page:
    language = current_language()
    return render_template("console/bus_runs/cancel.html", run=run, when=texts.when(run, language),
                           city=texts.city(run, language), notified=cancellation.notified(get_db(), run["id"]),
                           over=_ends(run) <= app_now(), error=error), status


@console.get("/bus-runs/<id:run_id>/cancel")
@signed_in(*PLANNERS)
def bus_run_cancel(run_id: int) -> Page | Response:
    run = run_or_404(run_id)
    if run["status"] != "planned":
        return redirect(url_for("console.bus_runs", notice="already"), 303)
    return _cancel_page(run)


@console.post("/bus-runs/<id:run_id>/cancel")
@signed_in(*PLANNERS)
def bus_run_cancel_post(run_id: int) -> Page | Response:
    run = run_or_404(run_id)
    if run["status"] != "planned":  # cancelled already (a second tap, or someone else)
        return redirect(url_for("console.bus_runs", notice="already"), 303)
    if _ends(run) <= app_now():
        return _cancel_page(run, translate("outreach.run.over", current_language(), id=run_id), 409)
    told = cancellation.cancel_run(get_db(), run, app_now(), current_app.config)
    if told is None:
        return redirect(url_for("console.bus_runs", notice="already"), 303)
    note_access("change", f"bus run {run_id} cancelled, {told.reached} told, {told.waiting} notices withdrawn")
    return redirect(url_for("console.bus_runs", notice="cancelled", told=told.reached), 303)


# --- a season from a CSV file -------------------------------------------------------------

def _import_page(error: str = "", report: dict | None = None, status: int = 200) -> Page:
    return render_template("console/bus_runs/import.html", error=error, report=report,
                           most=MAX_UPLOAD_BYTES // 1024), status


@console.get("/bus-runs/import")
@signed_in(*PLANNERS)
def bus_runs_import() -> Page:
    return _import_page()


@console.post("/bus-runs/import")
@signed_in(*PLANNERS)
def bus_runs_import_post() -> Page:
    """Checks every row and plans the good ones; the report, line by line, in the page."""
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        return _import_page("console_openings.upload.no_file", status=422)
    data = chosen.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _import_page("bus_runs.import.too_big", status=422)
    if not data.strip():
        return _import_page("console_openings.upload.empty", status=422)
    db = get_db()
    result = schedule_import.import_csv(db, data, app_now(), today=app_today(), centers=visible_centers(db))
    language = current_language()
    if result.changed:
        note_access("change", f"bus runs imported from {chosen.filename}: {len(result.changed)} planned")
    report = {"file": chosen.filename, "problems": [(p.line, p.column, p.text(language)) for p in result.problems],
              "summary": translate("kiosk.import.summary", language, rows=result.rows, changed=len(result.changed),
                                   unchanged=result.unchanged, rejected=result.rejected)}
    return _import_page(report=report, status=422 if result.file_rejected else 200)
