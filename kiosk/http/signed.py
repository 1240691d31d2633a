"""Signed cookie values checked once per worker: a kiosk sends the same device credential and
session cookie with request after request, and checking their signatures again each time was a
visible part of every kiosk request."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from itsdangerous import URLSafeSerializer


@lru_cache(maxsize=4096)
def loads(secret: str | bytes, salt: str, value: str) -> Any:
    """What URLSafeSerializer(secret, salt=salt).loads(value) gives; a value it refuses raises
    BadSignature as it does and is not kept. Callers copy what they change."""
    return URLSafeSerializer(secret, salt=salt).loads(value)
