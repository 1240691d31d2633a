"""The staff console at /console/: one blueprint; each page module below adds its views.

Its own session (kiosk/http/sessions.py: another cookie, ended after CONSOLE_IDLE_MINUTES
idle), Korean and English only, every answer Cache-Control: no-store (frame.py).
"""

from __future__ import annotations

from flask import Blueprint

console = Blueprint("console", __name__, url_prefix="/console")

# Each page module registers its views on import: one line per part of the console.
from kiosk.console import frame  # noqa: E402,F401,I001 - the language, nav, no-store and errors of every page
from kiosk.console import accounts, audit, home, signing  # noqa: E402,F401,I001
from kiosk.console import openings, openings_upload, seekers  # noqa: E402,F401,I001 - openings, CSV upload, seekers
from kiosk.console import appointment_actions, appointments, referrals  # noqa: E402,F401,I001 - casework
from kiosk.console import stats  # noqa: E402,F401,I001 - 성과 통계, the outcome dashboard
from kiosk.console import places_centers, places_counselors, places_kiosks  # noqa: E402,F401,I001
from kiosk.console import bus_run_actions, bus_runs  # noqa: E402,F401,I001 - the job bus's runs
from kiosk.console import programs, seeker_records  # noqa: E402,F401,I001 - a seeker's consultations, referrals, programs
from kiosk.console import operations  # noqa: E402,F401,I001 - the outbox and the timed jobs
