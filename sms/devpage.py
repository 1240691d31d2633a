"""The development transport's page: what would have been sent, per phone number."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dev", __name__, url_prefix="/dev")
