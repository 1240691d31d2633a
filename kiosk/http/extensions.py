"""Flask extensions, created once and bound to the app in create_app."""

from flask_htmx import HTMX

htmx = HTMX()
