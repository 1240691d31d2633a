"""schemathesis against /api/v1/openapi.json, through the app itself: no 500, and every answer is
the one the description promises (status, content type, body schema), for requests that fit
the description and for requests that do not."""

from __future__ import annotations

import pytest
import schemathesis
from fuzz_settings import fuzz_settings
from hypothesis import given
from schemathesis import GenerationMode


def as_a_client_writes(query: dict | None) -> dict | None:
    """JSON Schema counts 60.0 as an integer; a client sending the integer 60 writes "60"."""
    if not query:
        return query
    return {name: int(value) if isinstance(value, float) and value.is_integer() else value
            for name, value in query.items()}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_every_request_as_described(app, mode, tally):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @fuzz_settings()
    @given(case=schema.as_strategy(generation_mode=mode))
    def answers_as_described(case):
        tally.update(examples=1, requests=1)
        case.query = as_a_client_writes(case.query)
        case.call_and_validate()

    answers_as_described()
