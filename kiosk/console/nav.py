"""The console's navigation: (endpoint, catalog key, roles that see it), in the order shown.

A page's entry is shown only to its roles and only once its endpoint exists, so each page
module adds its own line here.
"""

from __future__ import annotations

from flask import current_app

from kiosk.console.access import ROLES, Staff

EVERYONE = ROLES
NAV: list[tuple[str, str, tuple[str, ...]]] = [
    ("console.home", "console.nav.home", EVERYONE),
    ("console.referrals", "casework.nav.referrals", EVERYONE),
    ("console.appointments", "casework.nav.appointments", EVERYONE),
    ("console.seekers", "console_openings.nav.seekers", EVERYONE),
    ("console.openings", "console_openings.nav.openings", EVERYONE),
    ("console.centers", "places.nav.centers", ("admin", "staff")),
    ("console.kiosks", "places.nav.kiosks", ("admin", "staff")),
    ("console.counselors", "places.nav.counselors", ("admin", "staff")),
    ("console.bus_runs", "bus_runs.nav", EVERYONE),
    ("console.stats_page", "reporting.nav", EVERYONE),
    ("console.programs", "records.nav.programs", ("admin",)),
    ("console.operations", "operations.nav", ("admin",)),
    ("console.unreached_texts", "operations.unreached.nav", ("staff", "counselor")),  # admins: on operations
    ("console.accounts", "console.nav.accounts", ("admin",)),
    ("console.access_records", "console.nav.access_records", ("admin",)),
]


def entries_for(staff: Staff | None) -> list[tuple[str, str]]:
    """(endpoint, catalog key) of the pages this person may open."""
    if staff is None:
        return []
    return [(endpoint, key) for endpoint, key, roles in NAV
            if staff.role in roles and endpoint in current_app.view_functions]
