"""QR codes that carry a public address to a visitor's own phone, drawn as SVG paths.

The drawing is data (the symbol's size in modules and one path of its dark modules); the
template writes the <svg>. Making a code takes a few milliseconds, and the same few addresses
are drawn again and again, so drawings are kept by address.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import segno

BORDER = 4  # the quiet zone QR readers need, in modules
ERROR_LEVEL = "m"  # survives a smudged or scratched kiosk screen (15% of the symbol)


class Drawing(NamedTuple):
    """A QR symbol as SVG: `size` modules square (quiet zone included), dark modules in `path`."""

    url: str
    size: int
    path: str


@lru_cache(maxsize=4096)
def drawing(url: str) -> Drawing:
    """The QR code of `url`: one horizontal rectangle per run of dark modules in a row."""
    symbol = segno.make(url, error=ERROR_LEVEL, micro=False)
    rows = list(symbol.matrix_iter(border=BORDER))
    return Drawing(url, len(rows), " ".join(_runs(rows)))


def _runs(rows: list) -> list[str]:
    runs = []
    for y, row in enumerate(rows):
        x, width = 0, len(row)
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
    return runs


def opening_url(public_url: str, opening_id: int) -> str:
    """The address an opening's QR code carries: its public page (/o/<id>), marked as a scan."""
    return f"{public_url.rstrip('/')}/o/{opening_id}?qr=1"


def schedule_url(public_url: str) -> str:
    """The address of the job bus's public schedule."""
    return f"{public_url.rstrip('/')}/bus"
