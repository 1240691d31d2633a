"""Accessibility checks with axe-core, installed from npm."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """WCAG 2.2 A/AA violations axe-core (from npm) finds on the current page."""
    # A click that follows a link returns once the new document commits, before its
    # stylesheet has loaded: measured then, every tap target has its unstyled size.
    page.wait_for_load_state("load")
    # Evaluated by the browser's devtools, which the page's Content-Security-Policy does not
    # govern (an inline <script> tag would be refused: the test sees the page as visitors do).
    page.evaluate(f"() => {{ {AXE.read_text(encoding='utf-8')}\n}}")
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values:"
        " ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]]
