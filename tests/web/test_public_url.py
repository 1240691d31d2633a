"""Twilio configured without a usable JOBSTOP_PUBLIC_URL is reported when a development app is
created (production refuses to start instead: tests/web/test_production_start.py)."""

from __future__ import annotations

import logging

import pytest

from kiosk.app import create_app

TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "secret-token-value",
          "TWILIO_FROM_NUMBER": "+15005550006"}


def errors_creating(caplog, database, clock, **settings) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="kiosk"):
        create_app({"TESTING": True, "DATABASE": database, "CLOCK": clock, "SECRET_KEY": "x", "DEVELOPMENT": True,
                    **settings})
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture(autouse=True)
def no_public_url_in_the_environment(monkeypatch):
    for name in ("JOBSTOP_PUBLIC_URL", *TWILIO):
        monkeypatch.delenv(name, raising=False)


def test_the_default_public_url_with_twilio_is_an_error(caplog, database, clock):
    [message] = errors_creating(caplog, database, clock, **TWILIO)
    assert "JOBSTOP_PUBLIC_URL (http://127.0.0.1:5000) is not an https address" in message
    assert "403" in message and "secret-token-value" not in message


@pytest.mark.parametrize(("url", "problem"), [("http://jobstop.example.kr", "is not an https address"),
                                              ("https://localhost:5000", "points at this machine"),
                                              ("https://127.0.0.1", "points at this machine"),
                                              ("", "is not an https address")])
def test_other_unusable_public_urls(caplog, database, clock, url, problem):
    [message] = errors_creating(caplog, database, clock, PUBLIC_URL=url, **TWILIO)
    assert problem in message


def test_an_https_public_url_or_no_twilio_is_quiet(caplog, database, clock):
    assert errors_creating(caplog, database, clock, PUBLIC_URL="https://jobstop.example.kr/",
                           **TWILIO) == []
    assert errors_creating(caplog, database, clock) == []  # the demo: development transport
