"""The filter links of a list screen: every choice of the filter panel, and a link per chosen
filter that takes it away. They depend on the filters, the language, the kiosk and the trail,
not on the openings, so each combination is built once and kept by the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, g
from markupsafe import Markup

from kiosk.core.formatting import won
from kiosk.core.i18n import translate
from kiosk.core.regions import EMPLOYMENT_TYPES, OCCUPATIONS, REGIONS
from kiosk.http.templating import current_language
from kiosk.openings import store as openings
from kiosk.web import caches

Choice = tuple[str, str, str, bool, bool]  # label, href, hx-get URL, selected, add the search box


def names(lang: str) -> dict[str, dict[str, str]]:
    """Catalog names of every code, per language, looked up once per app."""
    kept = caches.current().names
    if lang not in kept:
        kept[lang] = _names(lang)
    return kept[lang]


def _names(lang: str) -> dict[str, dict[str, str]]:
    def table(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
        return {code: translate(f"{prefix}.{code}", lang) for code in codes}

    return {"region": table("region", REGIONS), "occupation": table("occupation", OCCUPATIONS),
            "employment": table("employment", EMPLOYMENT_TYPES),
            "province": table("province", ("gyeonggi", "seoul"))}


def kept_for(build: Callable[[openings.Filters, dict[str, Any]], Any], f: openings.Filters,
             context: dict[str, Any]) -> Any:
    """What build makes of these filters for this list screen, made once per app."""
    key = (build.__name__, context["base"], g.kiosk["region"], current_language(), f,
           context["ahead"], context["this_list"])
    return caches.current().filter_links.get_or_set(key, lambda: build(f, context))


def _choices(browse_url: Callable[..., str], name: str, current: object,
             options: list[tuple[object, str]], *, keep_q: bool = True) -> list[Choice]:
    """Links for each value of one filter (None is "any").

    The filter panel is not redrawn after an htmx search, so its htmx URLs leave q out and the
    link adds what the search box holds (hx-include); the plain href carries q itself.
    """
    found = []
    for value, label in options:
        href = browse_url(**{name: value})
        hx = browse_url(**{name: value, "q": None}) if keep_q else href
        found.append((label, href, hx, value == current or (value is None and not current), keep_q))
    return found


def _panel(f: openings.Filters, context: dict[str, Any]) -> dict[str, Any]:
    """Every filter choice of the list screen as a plain link."""
    lang, url, n = current_language(), context["browse_url"], context["names"]
    any_ = translate("kiosk.browse.any", lang)
    wage = _wage_labels(lang)
    home = g.kiosk["region"]
    region = [(None, translate("kiosk.browse.region_any", lang, region=n["region"][home])),
              (home, n["region"][home])]
    if f.region and f.region != home:
        region.append((f.region, n["region"][f.region]))
    terms = zip(translate("kiosk.browse.quick_terms", lang).split(","),
                translate("kiosk.browse.quick_labels", lang).split(","), strict=True)
    return {
        "quick": _choices(url, "q", f.q, list(terms), keep_q=False),
        "groups": [
            (translate("kiosk.browse.filter_occupation", lang), n["occupation"].get(f.occupation, any_),
             _choices(url, "occupation", f.occupation, [(None, any_), *n["occupation"].items()])),
            (translate("kiosk.browse.filter_employment", lang),
             n["employment"].get(f.employment_type, any_),
             _choices(url, "employment_type", f.employment_type,
                      [(None, any_), *n["employment"].items()])),
            (translate("kiosk.browse.filter_wage", lang),
             wage.get(f.min_wage, translate("kiosk.browse.wage_any", lang)),
             _choices(url, "min_wage", f.min_wage,
                      [(None, translate("kiosk.browse.wage_any", lang)), *wage.items()])),
        ],
        "region": _choices(url, "region", f.region, region),
        "sort": _choices(url, "sort", None if f.sort == "newest" else f.sort,
                         [(None if code == "newest" else code,
                           translate(f"kiosk.browse.sort_{code}", lang)) for code in openings.SORTS]),
    }


def browse_head(f: openings.Filters, context: dict[str, Any]) -> Markup:
    """The top of the browse area (title, search box and filter panel), from kiosk/_filters.html."""
    template = current_app.jinja_env.get_template("kiosk/_filters.html")
    return Markup(template.render(**context, panel=_panel(f, context)))


def _wage_labels(lang: str) -> dict[int, str]:
    return {band: translate("kiosk.browse.wage_band", lang, amount=won(band, lang))
            for band in openings.WAGE_BANDS}


def active(f: openings.Filters, context: dict[str, Any]) -> list[Choice]:
    """A link per chosen filter that takes it away (and one that clears them all)."""
    lang, n, url = current_language(), context["names"], context["browse_url"]
    chosen = [("q", f.q), ("occupation", n["occupation"].get(f.occupation)),
              ("region", n["region"].get(f.region)),
              ("employment_type", n["employment"].get(f.employment_type)),
              ("min_wage", _wage_labels(lang).get(f.min_wage) or (f.min_wage and f"{f.min_wage:,}"))]
    links = [(translate("kiosk.browse.remove", lang, name=label), url(**{name: None}),
              url(**{name: None}), False, False) for name, label in chosen if label]
    if links:
        everything = cleared(url)
        links.append((translate("kiosk.browse.clear", lang), everything, everything, False, False))
    return links


def cleared(browse_url: Callable[..., str]) -> str:
    """The whole list again, every filter taken away."""
    return browse_url(**dict.fromkeys(("q", "occupation", "region", "employment_type",
                                       "min_wage", "sort")))
