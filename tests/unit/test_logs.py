"""Log lines: JSON objects or text, and never a phone number in either."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from kiosk.core import logs

PHONES = ["010-1234-5678", "01012345678", "+821012345678", "010 1234 5678", "031-228-3111", "02-2133-4500"]
NOT_PHONES = ["2026-12-07T01:49:44.713", "SM0123456789abcdef0123456789abcdef", "a01012345678b",
              "job_runs 1234567", "interval[0:00:05]", "vm:3599:f9797320"]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_scrubbed(phone):
    assert logs.scrub(f"sent to {phone}: ok") == "sent to [phone]: ok"
    assert logs.scrub(f"GET /k/x/openings?q={phone}&page=2") == "GET /k/x/openings?q=[phone]&page=2"


@pytest.mark.parametrize("text", NOT_PHONES)
def test_times_ids_and_counts_are_left_alone(text):
    assert logs.scrub(text) == text


def record(message: str, *args, exc_info=None, **extra) -> logging.LogRecord:
    made = logging.LogRecord("jobstop.test", logging.WARNING, __file__, 1, message, args, exc_info)
    made.__dict__.update(extra)
    return made


def test_a_json_line_has_time_level_logger_message_and_the_request_id():
    line = json.loads(logs.JsonFormatter().format(record("texted %s", "+821012345678", request_id="abc")))
    assert set(line) == {"time", "level", "logger", "message", "request_id"}
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "WARNING", "jobstop.test", "texted [phone]", "abc")
    assert line["time"].endswith("+00:00")


def test_an_exception_is_in_the_line_and_scrubbed_too():
    try:
        raise ValueError("The 'To' number +821099998888 is not a valid phone number.")
    except ValueError:
        made = record("send failed", exc_info=sys.exc_info())
    for formatted in (logs.JsonFormatter().format(made), logs.Scrubbed().format(made)):
        assert "99998888" not in formatted and "[phone]" in formatted and "ValueError" in formatted
    assert "\n" not in logs.JsonFormatter().format(made)  # one line, even with a traceback


def test_configure_sends_every_logger_to_stderr_in_the_format(capsys):
    root = logging.getLogger()
    before = list(root.handlers), root.level
    try:
        logs.configure("json")
        logs.configure("json")  # again: still one handler of ours
        assert sum(getattr(h, "jobstop", False) for h in root.handlers) == 1
        logging.getLogger("apscheduler.scheduler").info("Scheduler started for 010-1234-5678")
        line = json.loads(capsys.readouterr().err.splitlines()[-1])
        assert line["message"] == "Scheduler started for [phone]" and line["level"] == "INFO"
    finally:
        root.handlers[:], root.level = before


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="use one of text, json"):
        logs.formatter("xml")
