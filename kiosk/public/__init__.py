"""Public pages a visitor opens on their own phone: an opening (from its QR code) and the job
bus's schedule. No sign-in, no session, no cookie, nothing about who is reading."""

from kiosk.public import bus, opening  # noqa: F401  (each module's routes attach to bp)
from kiosk.public.blueprint import bp  # noqa: F401
