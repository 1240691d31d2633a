"""Opening cards of the kiosk's lists: each card's inside rendered once per opening, language
and day, and kept by the app for every list, search and kiosk it serves."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup

from kiosk.core.formatting import count_key, parse_day, schedule, short_day
from kiosk.core.formatting import wage as wage_text
from kiosk.core.i18n import translate
from kiosk.http.now import app_today
from kiosk.http.templating import current_language
from kiosk.web import caches


class Card(NamedTuple):
    """One card of a list (templates/kiosk/_opening_items.html): its link keeps the list's filters."""

    id: int
    url: str
    inside: Markup


def render(rows: list[Any], context: dict[str, Any], first_page: int, per_page: int) -> list[Card]:
    """Each opening's card: its inside rendered once (the key is the row itself, not updated_at,
    which two edits in one second would share), its link here."""
    lang, now, insides = current_language(), app_today(), caches.current().card_insides
    cards = []
    for i, o in enumerate(rows):
        inside = insides.get_or_set((tuple(o), lang, now),
                                    lambda o=o: _card_inside(_card(o, lang, now, context["names"])))
        cards.append(Card(o["id"], context["detail_url"](o["id"], first_page + i // per_page), inside))
    return cards


def _card_inside(card: dict[str, str]) -> Markup:
    """The macro of templates/kiosk/_opening_card.html, called from here to be kept."""
    return current_app.jinja_env.get_template("kiosk/_opening_card.html").module.card_inside(card)


def _card(o: Any, lang: str, now: date, n: dict[str, dict[str, str]]) -> dict[str, str]:
    """What one opening's card shows, worked out here rather than in many template calls."""
    deadline = parse_day(o["deadline"])
    left = (deadline - now).days if deadline else None
    if left is None:
        closing = translate("date.until_filled", lang)
    elif left == 0:
        closing = translate("kiosk.opening.today", lang)
    else:
        closing = translate(count_key("kiosk.browse.deadline", left), lang, days=left,
                            date=short_day(deadline, lang))
    return {"title": o["title"], "group": n["occupation"][o["occupation"]],
            "employer": o["employer"],
            "who": f"{n['region'][o['region']]} · {n['employment'][o['employment_type']]}",
            "wage": wage_text(o["wage_kind"], o["wage_amount"], lang),
            "hours": schedule(o["work_hours"], lang), "days": schedule(o["work_days"], lang), "closing": closing}
