"""The dashboard's charts as inline SVG drawn on the server by pygal.

pygal's SVG is read as a tree and made to fit the console's Content-Security-Policy: its script
(tooltips, which need pygal.js from a CDN) and the tooltip layer go, its stylesheet carries the
response's nonce. The SVG is hidden from screen readers: the table beside each chart holds the
same numbers.

Drawing is most of the dashboard's time, and a chart is the same for the same numbers: the
process keeps the last CHARTS_KEPT charts drawn (by their labels and numbers) and gives the
next response the same SVG with its own nonce.
"""

from __future__ import annotations

import functools
from xml.etree import ElementTree

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1f2933",
              foreground_strong="#1f2933", foreground_subtle="#52606d", opacity=".9", opacity_hover="1",
              colors=("#1d5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309"),
              font_family='"Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", sans-serif',
              label_font_size=13, major_label_font_size=13, legend_font_size=14, value_font_size=12,
              title_font_size=16)
SIZE = {"width": 640, "height": 300}
CHARTS_KEPT = 256
NONCE = "chart-nonce-placeholder"  # drawn with this, then given each response's own


def _options(**more: object) -> dict:
    return {"style": STYLE, "js": [], "disable_xml_declaration": True, "show_legend": False,
            "print_values": False, "margin": 8, "spacing": 8, "truncate_label": 24, **SIZE, **more}


def _svg(chart: pygal.graph.graph.Graph, nonce: str, label: str) -> str:
    """The chart as inline SVG, with no script, its style under the nonce, hidden from readers."""
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            unwanted = child.tag in ("script", "title", ElementTree.Comment)
            if unwanted or "tooltip-overlay" in str(child.get("class", "")):
                parent.remove(child)
    for style in tree.iter("style"):
        style.set("nonce", nonce)
    tree.set("aria-hidden", "true")
    tree.set("focusable", "false")
    tree.set("data-chart", label)
    return ElementTree.tostring(tree, encoding="unicode")


def _with_nonce(svg: str, nonce: str) -> Markup:
    return Markup(svg.replace(f'nonce="{NONCE}"', f'nonce="{escape(nonce)}"'))  # noqa: S704 - our own SVG


def bars(labels: list[str], values: list[float], nonce: str, label: str, *, horizontal: bool = False,
         percent: bool = False) -> Markup:
    """One series as bars (horizontal for long labels, largest first at the top)."""
    return _with_nonce(_bars(tuple(labels), tuple(values), label, horizontal, percent), nonce)


@functools.lru_cache(maxsize=CHARTS_KEPT)
def _bars(labels: tuple[str, ...], values: tuple[float, ...], label: str, horizontal: bool, percent: bool) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    more = {"truncate_label": -1, "margin_left": 8 + 12 * max(map(len, labels), default=0)} if horizontal else {}
    chart = kind(**_options(value_formatter=(lambda v: f"{v:.0%}") if percent else (lambda v: f"{v:,.0f}"),
                            **more))
    if horizontal:  # pygal draws the first bar at the bottom
        labels, values = labels[::-1], values[::-1]
    chart.x_labels = list(labels)
    chart.add(label, list(values))
    return _svg(chart, NONCE, label)


def lines(x_labels: list[str], series: dict[str, list[float | None]], nonce: str, label: str, *,
          every: int = 1) -> Markup:
    """Several series over time, with a legend; only every `every`-th label is written on the axis."""
    drawn = _lines(tuple(x_labels), tuple((name, tuple(values)) for name, values in series.items()), label, every)
    return _with_nonce(drawn, nonce)


@functools.lru_cache(maxsize=CHARTS_KEPT)
def _lines(x_labels: tuple[str, ...], series: tuple[tuple[str, tuple[float | None, ...]], ...], label: str,
           every: int) -> str:
    chart = pygal.Line(**_options(show_legend=True, legend_at_bottom=True, show_dots=len(x_labels) <= 24,
                                  x_labels_major_every=every, show_minor_x_labels=False,
                                  x_label_rotation=0, allow_interruptions=True))
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return _svg(chart, NONCE, label)
