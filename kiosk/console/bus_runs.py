"""The job bus's runs in the console: coming and past runs, and a form to plan one.

Admins see and plan every run; center staff the runs whose partner center is theirs (another
center's run is 403); a counselor reads the runs they are aboard. The form's rules are the
command's and the import's (kiosk.outreach.run_form, runs.check), said per field; a form sent
twice plans one run. Cancelling and importing: bus_run_actions.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kiosk.console import console
from kiosk.console.access import Staff, current_staff, note_access, require_center, signed_in, visible_centers
from kiosk.core.db import Connection, Row, transaction
from kiosk.core.regions import GYEONGGI
from kiosk.counseling import hours as counseling
from kiosk.http.db import get_db
from kiosk.http.extensions import htmx
from kiosk.http.now import app_now, app_today
from kiosk.http.templating import current_language
from kiosk.outreach import figures, run_form, runs, texts
from kiosk.outreach.schedule_import import RunProblem
from kiosk.places import centers

READERS = ("admin", "staff", "counselor")
PLANNERS = ("admin", "staff")
PAST_DAYS = 180
Page = str | tuple[str, int]


def me() -> Staff:
    staff = current_staff()
    assert staff is not None
    return staff


def _mine(db: Connection, rows: list[Row]) -> list[Row]:
    """The runs this person may see: all (admin), their center's (staff), those they are aboard."""
    staff = me()
    if staff.role == "admin":
        return rows
    if staff.role == "staff":
        return [row for row in rows if row["center_id"] == staff.center_id]
    return [row for row in rows if any(c["id"] == staff.counselor_id for c in runs.counselors_aboard(db, row["id"]))]


def run_or_404(run_id: int) -> Row:
    """A run this person may change: 404 if there is none, 403 if it is another center's."""
    run = runs.get(get_db(), run_id)
    if run is None:
        abort(404)
    require_center(run["center_id"])
    return run


def _listed(db: Connection, row: Row, language: str, credited: Mapping[int, figures.RunFigures]) -> dict[str, Any]:
    return {"row": row, "when": texts.when(row, language), "city": texts.city(row, language),
            "aboard": ", ".join(c["name"] for c in runs.counselors_aboard(db, row["id"])),
            "figures": credited.get(row["id"])}


@console.get("/bus-runs", endpoint="bus_runs")
@signed_in(*READERS)
def bus_runs_page() -> str:
    db, today, language = get_db(), app_today(), current_language()
    since = today - timedelta(days=PAST_DAYS)
    every = _mine(db, runs.every(db, since))
    coming = [r for r in every if r["day"] >= today.isoformat() and r["status"] == "planned"]
    past = [r for r in reversed(every) if r["day"] < today.isoformat()]
    credited = {f.run_id: f for f in figures.per_run(db, since, today, current_app.config["TIMEZONE"])}
    template = "console/bus_runs/_runs.html" if htmx else "console/bus_runs/runs.html"
    return render_template(template, coming=[_listed(db, r, language, credited) for r in coming],
                           past=[_listed(db, r, language, credited) for r in past],
                           may_plan=me().role in PLANNERS, notice=request.args.get("notice", ""))


# --- the form ---------------------------------------------------------------------------

def _typed(source: Mapping[str, str]) -> dict[str, str]:
    return {name: str(source.get(name, "")).strip() for name in run_form.FIELDS}


def _blank() -> dict[str, str]:
    mine = visible_centers(get_db())
    return dict.fromkeys(run_form.FIELDS, "") | {"center": str(mine[0]) if len(mine) == 1 else ""}


def _center_counselors(center: str) -> list[Row]:
    center_id = run_form.whole(center)
    if center_id is None or center_id not in visible_centers(get_db()):
        return []
    return [row for row in counseling.counselors(get_db(), center_id) if row["active"]]


def _form(values: dict[str, str], chosen: list[str], errors: run_form.Errors, status: int = 200) -> Page:
    db, language = get_db(), current_language()
    said = {field: RunProblem(0, field, reason, params).text(language) for field, (reason, params) in errors.items()}
    buses = [row for row in db.execute("SELECT code, name FROM kiosks WHERE place_kind = 'job_bus' AND active = 1"
                                       " ORDER BY code")]
    mine = visible_centers(db)
    context = {"values": values, "chosen": set(chosen), "errors": said, "regions": GYEONGGI, "buses": buses,
               "centers": [(row["id"], row["name"]) for row in centers.every(db)
                           if row["id"] in mine and row["kind"] == "center"],
               "counselors": _center_counselors(values["center"]), "today": app_today()}
    if htmx and htmx.target == "counselor-choices":
        return render_template("console/bus_runs/_counselors.html", **context), status
    return render_template("console/bus_runs/form.html", **context), status


@console.get("/bus-runs/new")
@signed_in(*PLANNERS)
def bus_run_new() -> Page:
    """The form; ?center= (the center chosen, with what was typed) lists that center's counselors."""
    values = _typed(request.args) if request.args else _blank()
    return _form(values, request.args.getlist("counselors"), {})


@console.post("/bus-runs")
@signed_in(*PLANNERS)
def bus_run_create() -> Page | Response:
    """Plans the run; refused, the form again (422) with the reason per field and what was typed."""
    db = get_db()
    values, chosen = _typed(request.form), request.form.getlist("counselors")
    plan, errors = run_form.read(db, values, chosen, today=app_today())
    if plan is not None and plan.center_id not in visible_centers(db):
        plan, errors = None, {"center": ("not_a_center", {"value": values["center"]})}
    if plan is None:
        return _form(values, chosen, errors, 422)
    planned = runs.on_day(db, plan.bus, plan.day)
    if planned is None:  # else the same form came twice: the run it planned is the answer
        try:
            with transaction(db):
                run_id = runs.add(db, plan, app_now(), app_today())
        except runs.Refused as refused:  # planned meanwhile by someone else
            return _form(values, chosen, {refused.field: (refused.reason, dict(refused.params))}, 422)
        note_access("change", f"bus run {run_id} planned")
    return redirect(url_for("console.bus_runs", notice="added"), 303)
