"""Serves browser libraries installed from npm (package.json), never copied into the repo."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

# The public name a page asks for → the file inside node_modules.
FILES = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
}


def node_modules() -> Path:
    return Path(current_app.config.get("NODE_MODULES") or
                Path(current_app.root_path).parent / "node_modules")


@bp.get("/<name>")
def asset(name: str) -> Response:
    if name not in FILES:
        abort(404)
    target = node_modules() / FILES[name]
    if not target.is_file():
        current_app.logger.error("%s is missing: run npm ci", target)
        abort(404)
    response = send_from_directory(target.parent, target.name, max_age=86400)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
