"""What a production start (`jobstop serve`, `jobstop scheduler`) will not go without.

Production sends texts through Twilio, signs sessions and consents with a key every process
shares, and is called by Twilio at an https address. JOBSTOP_DEVELOPMENT=1 lifts all three
(the development SMS transport, a key kept in the instance folder, any public URL); the demo,
`jobstop start`, is development by definition.
"""

from __future__ import annotations

import click
from flask import Flask

from kiosk.core import config

NEW_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
DEVELOPMENT = "JOBSTOP_DEVELOPMENT=1 runs with the development SMS transport instead"


def problems(app: Flask) -> list[str]:
    """Each setting that keeps this app from a production start, as one phrase; [] when ready."""
    settings = app.config
    if settings["DEVELOPMENT"]:
        return []
    found = [] if app.extensions["secret_key_given"] else [f"JOBSTOP_SECRET_KEY is not set (make one: {NEW_KEY})"]
    if settings["KIOSK_AUTO_ENROL"]:
        found.append("JOBSTOP_KIOSK_AUTO_ENROL is on: any browser would become a kiosk (enrol each kiosk"
                     " PC with a code from the console instead)")
    twilio = missing_twilio(settings)
    if twilio:
        verb = "is" if len(twilio) == 1 else "are"
        found.append(f"{', '.join(twilio)} {verb} not set: production sends texts through Twilio ({DEVELOPMENT})")
    elif (url_problem := config.public_url_problem(settings)):
        found.append(f"JOBSTOP_PUBLIC_URL ({settings['PUBLIC_URL'] or 'empty'}) {url_problem}: set it to the"
                     " https address Twilio calls")
    return found


def missing_twilio(settings: dict) -> list[str]:
    """The Twilio settings a production start lacks: the account, its token and a sender."""
    absent = [name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not settings.get(name)]
    if not (settings.get("TWILIO_FROM_NUMBER") or settings.get("TWILIO_MESSAGING_SERVICE_SID")):
        absent.append("TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID)")
    return absent


def refuse_unless_ready(app: Flask, command: str) -> None:
    """Stops the command with one line naming what is missing (exit status 1)."""
    found = problems(app)
    if found:
        raise click.ClickException(f"jobstop {command} will not start: {'; '.join(found)}.")
