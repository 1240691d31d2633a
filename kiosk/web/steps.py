"""The profile questions, one per screen, shared by registration and "my page" editing.

Registration asks only what matching needs (occupation, region); its review screen also offers
the programs a seeker is in (youth, career-break women, ...: none unless chosen, counted in the
published figures). The rest waits for My page's "more about you", which walks through
MORE_STEPS with the same screens.

Each step reads its answer from a submitted form and either returns the value to keep or
raises StepError with a catalog key, so a screen can say what is wrong and keep the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, session
from werkzeug.datastructures import MultiDict

from kiosk.alerts.schedule import window_label
from kiosk.core.config import setting
from kiosk.core.formatting import whole_number
from kiosk.core.i18n import LANGUAGES
from kiosk.core.regions import EMPLOYMENT_TYPES, GYEONGGI, MINIMUM_HOURLY_WAGE, OCCUPATIONS, SEOUL
from kiosk.http.db import get_db
from kiosk.http.templating import current_language, t
from kiosk.seekers import programs
from kiosk.seekers.store import DIGEST_TIMES, FREQUENCIES

NAME_MAX = 30
OLDEST_BIRTH_YEAR = 1930
YOUNGEST_AGE = 15
WAGE_CHOICES = (0, MINIMUM_HOURLY_WAGE, 11_000, 12_000, 13_000, 15_000)


Translate = Callable[..., str]


class StepError(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Step:
    name: str
    widget: str            # 'hangul', 'year', 'multi', 'single'
    field: str             # where the answer goes: a profile field or a preference kind
    pref: bool = False     # True: a seeker_prefs kind (several values); False: a profile field


STEPS: dict[str, Step] = {step.name: step for step in (
    Step("name", "hangul", "name"),
    Step("birth_year", "year", "birth_year"),
    Step("occupation", "multi", "occupation", pref=True),
    Step("region", "multi", "region", pref=True),
    Step("employment_type", "multi", "employment_type", pref=True),
    Step("min_wage", "single", "min_hourly_wage"),
    Step("program", "multi", "program", pref=True),
    Step("language", "single", "language"),
    Step("frequency", "single", "alert_frequency"),
    Step("digest_time", "single", "digest_time"),
)}


REGISTER_STEPS = ("occupation", "region")
# On the review screen: programs (none unless chosen), then the last three with a sensible answer already chosen.
REVIEW_STEPS = (*REGISTER_STEPS, "program", "frequency", "digest_time", "language")
MORE_STEPS = ("name", "birth_year", "employment_type", "min_wage", "program")
# Both alert consents are asked on one screen ("alerts"), each recorded as its own answer.
REGISTER_FLOW = ("phone", "code", "personal_data", "alerts", *REGISTER_STEPS, "review")


def progress(name: str, flow: tuple[str, ...] = REGISTER_FLOW) -> dict[str, int]:
    """Where a screen is in its flow (registration, or "more about you"), for the progress bar."""
    return {"at": flow.index(name) + 1, "of": len(flow)}


def choices(step: Step, t: Translate) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group heading or '', [(value, label)])] for a choice step, in the visitor's language."""
    if step.widget in ("hangul", "year"):
        return []
    if step.name == "region":
        return [(t(f"province.{name}"), [(code, t(f"region.{code}")) for code in codes])
                for name, codes in (("gyeonggi", GYEONGGI), ("seoul", SEOUL))]
    options = {
        "occupation": [(c, t(f"occupation.{c}")) for c in OCCUPATIONS],
        "employment_type": [(c, t(f"employment.{c}")) for c in EMPLOYMENT_TYPES],
        "program": programs.choices(get_db(), current_language()),
        "min_wage": [(str(w), t("register.wage.any") if w == 0 else
                      t("register.wage.at_least", amount=f"{w:,}")) for w in WAGE_CHOICES],
        "language": [(code, t(f"register.language.{code}")) for code in LANGUAGES],
        "frequency": [(f, t(f"register.frequency.{f}")) for f in FREQUENCIES],
        "digest_time": [(name, window_label(name, current_app.config, current_language())) for name in DIGEST_TIMES],
    }[step.name]
    return [("", options)]


def allowed(step: Step) -> set[str]:
    return {value for _group, options in choices(step, _code) for value, _label in options}


def _code(key: str, /, **_params: Any) -> str:
    return key


def parse(step: Step, form: MultiDict[str, str], this_year: int) -> Any:
    """The answer to keep, or StepError."""
    if step.widget == "hangul":
        name = re.sub(r"\s+", " ", form.get("value", "")).strip()
        if len(name) > NAME_MAX:
            raise StepError("register.error.name_long", max=NAME_MAX)
        if re.search(r"[<>{}\[\]\\/@#$%^*=+|~`\d]", name):
            raise StepError("register.error.name_chars")
        return name
    if step.widget == "year":
        raw = form.get("value", "").strip()
        if not raw:  # optional: nothing typed is no answer
            return None
        youngest = this_year - YOUNGEST_AGE
        year = whole_number(raw)
        if year is None or not OLDEST_BIRTH_YEAR <= year <= youngest:
            raise StepError("register.error.birth_year", oldest=OLDEST_BIRTH_YEAR, youngest=youngest)
        return year
    if step.widget == "multi":
        picked = form.getlist("value")
        if not set(picked) <= allowed(step):
            raise StepError("register.error.choice")
        return sorted(set(picked))
    value = form.get("value", "")
    if value not in allowed(step):
        raise StepError("register.error.choose_one")
    return int(value) if step.name == "min_wage" else value


def current(step: Step, profile: Mapping[str, Any], prefs: Mapping[str, list[str]]) -> Any:
    """The answer given so far, to show as selected."""
    if step.pref:
        return prefs.get(step.field, [])
    value = profile.get(step.field)
    if value is None and step.widget == "single":  # a sensible answer is already chosen
        return {"min_hourly_wage": 0, "alert_frequency": "daily",
                "digest_time": setting(current_app.config, "DIGEST_DEFAULT_TIME")}.get(step.field, current_language())
    return value


def shown(step: Step, value: Any, t: Translate) -> list[str]:
    """What the answer says on the review screen."""
    if step.widget in ("hangul", "year"):
        return [str(value)] if value else [t("register.review.none")]
    labels = {v: label for _g, options in choices(step, t) for v, label in options}
    if step.widget == "multi":
        nothing = "register.review.no_program" if step.name == "program" else "register.review.any"
        return [labels[v] for v in value if v in labels] if value else [t(nothing)]
    return [labels.get(str(value), t("register.review.none"))]


def remember_error(name: str, error: StepError, form: MultiDict[str, str]) -> None:
    """Keep a refused answer for the next GET of the step screen, which shows it via step_error."""
    session["step_error"] = {"step": name, "key": error.key, "params": error.params,
                             "typed": form.getlist("value")}


def step_error(name: str, step: Step, value: Any) -> tuple[str | None, Any]:
    """The message and the visitor's own input after a refused answer, else (None, value)."""
    error = session.pop("step_error", None)
    if not error or error["step"] != name:
        return None, value
    typed = error["typed"] if step.widget == "multi" else "".join(error["typed"])
    return t(error["key"], **error["params"]), typed
