"""The fuzz tests count what they tried; the count closes the run's report."""

from __future__ import annotations

from collections import Counter

import pytest
from fuzz_settings import EXAMPLES

TRIED: dict[str, Counter] = {}


@pytest.fixture
def tally(request) -> Counter:
    """Counts a test's examples and requests: tally["examples"] += 1."""
    return TRIED.setdefault(request.node.nodeid, Counter())


def pytest_terminal_summary(terminalreporter) -> None:
    if not TRIED:
        return
    terminalreporter.section(f"fuzz: examples tried (JOBSTOP_FUZZ_EXAMPLES={EXAMPLES})")
    for nodeid, counts in TRIED.items():
        terminalreporter.write_line(f"{counts['examples']:>7} examples {counts['requests']:>7} requests  {nodeid}")
    total = sum((counts for counts in TRIED.values()), Counter())
    terminalreporter.write_line(f"{total['examples']:>7} examples {total['requests']:>7} requests  in all")
