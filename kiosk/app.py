"""create_app: the one Flask app, for every HTTP audience (kiosk screens, API, SMS webhooks)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from kiosk import api, health, public, web
from kiosk.console import console
from kiosk.console import frame as console_frame
from kiosk.core import config
from kiosk.core.clock import SystemClock
from kiosk.http import assets, clients, csrf, db, methods, request_ids, security_headers, templating, usage, vendor
from kiosk.http.converters import RowId
from kiosk.http.errors import allow_header, error_key
from kiosk.http.extensions import api_rate, htmx, rate_limiter, search_rate
from kiosk.http.route_limit import limit_route
from kiosk.http.sessions import DatabaseSessionInterface, is_console
from kiosk.http.templating import t
from kiosk.web import enrol, home
from kiosk.web import errors as kiosk_errors
from sms import devpage
from sms.inbound import webhooks

log = logging.getLogger(__name__)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The one Flask app: kiosk screens, the JSON API, SMS webhooks and development pages."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=assets.templates(), static_folder=assets.static())
    app.config.from_mapping(config.DEFAULTS)
    app.config.from_pyfile("jobstop.cfg", silent=True)
    app.config.update(config.from_environment(os.environ))
    if test_config:
        app.config.update(test_config)
    app.extensions["secret_key_given"] = bool(app.config.get("SECRET_KEY"))
    if not app.config.get("SECRET_KEY"):  # development only: serve and scheduler refuse to start without one
        app.config["SECRET_KEY"] = config.instance_secret_key(app.instance_path)
    app.extensions["clock"] = app.config.pop("CLOCK", None) or SystemClock()
    _check_public_url(app)

    db.init_app(app)
    request_ids.init_app(app)
    security_headers.init_app(app)
    usage.init_app(app)
    htmx.init_app(app)
    limiter = rate_limiter(app)  # its check runs before the methods and CSRF checks
    methods.init_app(app, catch_alls=("kiosk.unknown_screen", "api.unknown"))
    clients.init_app(app)  # a browser that is not the kiosk is told so before any other check
    csrf.init_app(app)
    templating.init_app(app)
    app.session_interface = DatabaseSessionInterface()
    app.url_map.converters["id"] = RowId  # before the blueprints' rules use it
    _register_blueprints(app)
    limiter.limit(api_rate)(api.bp)
    limit_route(app, limiter, "kiosk.browse", search_rate)
    # a device code is not guessed at the rate of the API's answers
    app.view_functions["enrol.enrol"] = limiter.limit(api_rate)(app.view_functions["enrol.enrol"])
    app.register_error_handler(HTTPException, _http_error)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind JOBSTOP_PROXIES reverse proxies, the scheme, host and client they report are the request's."""
    proxies = int(app.config["PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,  # type: ignore[method-assign]
                                x_port=proxies)


def _check_public_url(app: Flask) -> None:
    """Twilio without a reachable https JOBSTOP_PUBLIC_URL loses every STOP: say so loudly.

    In development mode only: in production `jobstop serve` and `jobstop scheduler` refuse to start.
    """
    problem = config.public_url_problem(app.config)
    if problem and app.config["DEVELOPMENT"]:
        log.error("Twilio is configured but JOBSTOP_PUBLIC_URL (%s) %s: every Twilio webhook will be"
                  " refused with 403 (STOP texts lost) and delivery reports go nowhere. Set it to the"
                  " https address Twilio calls.", app.config["PUBLIC_URL"], problem)


def _register_blueprints(app: Flask) -> None:
    for blueprint in (health.bp, vendor.bp, home.root, web.bp, public.bp, api.bp, webhooks.bp, devpage.bp, console):
        app.register_blueprint(blueprint)
    app.register_blueprint(enrol.bp)  # /k/enrol: a kiosk PC types its enrolment code
    csrf.exempt(webhooks.bp.name)
    csrf.exempt(api.bp.name)


def _owner_by_prefix(values: dict[str, Any]) -> str:
    """Whose address no rule at all matches (a newline in it, say), by where it starts."""
    path, api_prefix = request.path, api.bp.url_prefix or ""
    if path == api_prefix or path.startswith(f"{api_prefix}/"):
        return api.bp.name
    kiosk_prefix = (web.bp.url_prefix or "").partition("<")[0]  # /k/
    code, slash, _rest = path.removeprefix(kiosk_prefix).partition("/")
    if kiosk_prefix and path.startswith(kiosk_prefix) and code and slash:
        values["kiosk_code"] = code
        return web.bp.name
    return ""


def _http_error(error: HTTPException) -> Response | tuple[str, int, dict[str, str]]:
    """Errors in the visitor's language. Blueprints answer their own; an address refused before
    any view (a method it does not take) is answered the way its blueprint answers."""
    endpoint, values = (None if request.url_rule else methods.route_taking(request.path)) or ("", {})
    owner = endpoint.rpartition(".")[0] or _owner_by_prefix(values)
    if owner == api.bp.name:
        return api.allow_any_origin(api.json_error(error))
    if owner == web.bp.name:
        return kiosk_errors.refused_screen(error, values["kiosk_code"])
    if owner == console.name or is_console(request.path):
        return console_frame.error_page(error)
    page = render_template("error.html", message=t(error_key(error)), code=error.code)
    return page, error.code or 500, allow_header(error)
