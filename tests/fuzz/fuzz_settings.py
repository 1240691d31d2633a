"""How hard the fuzz tests try: a modest, repeatable run by default, more on request.

JOBSTOP_FUZZ_EXAMPLES=5000 ./dev test tests/fuzz  runs each fuzz test with 5,000 examples.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("JOBSTOP_FUZZ_EXAMPLES") or 30)


def fuzz_settings(share: float = 1.0) -> settings:
    """Fixed examples, derandomized (CI repeats itself), no deadline (a shared 2-core machine)."""
    return settings(max_examples=max(1, int(EXAMPLES * share)), derandomize=True, deadline=None,
                    database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                           HealthCheck.too_slow, HealthCheck.filter_too_much])
