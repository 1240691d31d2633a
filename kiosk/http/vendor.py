"""Serves browser libraries installed from npm (package.json), never copied into the repo."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

from kiosk.http import assets

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.get("/<name>")
def asset(name: str) -> Response:
    if name not in assets.VENDOR:
        abort(404)
    target = assets.vendor_file(name)
    if not target.is_file():
        current_app.logger.error("%s is missing: run npm ci", target)
        abort(404)
    response = send_from_directory(target.parent, target.name, max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
