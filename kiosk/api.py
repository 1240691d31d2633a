"""Read-only JSON API for partner sites and signage: /api/v1/openings."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
