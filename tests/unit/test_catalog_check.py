"""The .po catalogs of every language: no key missing, none unused, the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk.core.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    STAFF_AREAS,
    STAFF_LANGUAGES,
    catalog,
    catalog_files,
    is_staff_area,
    staff_keys,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*ROOT.glob("kiosk/**/*.py"), *ROOT.glob("sms/**/*.py"), *ROOT.glob("scheduler/**/*.py"),
           *ROOT.glob("templates/**/*.html"), *ROOT.glob("static/**/*.js")]
# The one placeholder only Korean needs: the particle after the number (1588-0000으로, 1577-1234로).
ONLY_KOREAN = {"sms.start_to": {"ro"}}
# Minutes written with two digits in some languages (8:05), as spoken in Korean (5분).
DIFFERENT_SPEC = {"alerts.jobcode.time"}
# A name written in code, whole or as a start followed by a part the code fills in
# (f"occupation.{code}", f"kiosk.browse.sort_{code}", 'kiosk.opening.' ~ name, "kiosk." and a
# name from a list), and the quoted ends joined after a filled-in part (f"...{name}.label", '_hint').
QUOTED = re.compile(r"""["']([a-z][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)*[._]?)(?=["'{])""")
ENDS = re.compile(r"""[}"']([._][a-z0-9_]+)(?=["'{])""")


def placeholders(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def written() -> set[str]:
    """Every dotted name or name's start that the code quotes."""
    found: set[str] = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        found.update(QUOTED.findall(text))
        found.update(ENDS.findall(text))
    return found


def used(key: str, written: set[str]) -> bool:
    """Whether the code names key: whole; or a quoted start (f"occupation.{code}") then one
    filled-in part, a quoted rest ("kiosk." and "nav.label"), a quoted last part ('purpose') or
    a quoted end ('_hint'); or a start the code swaps for another one whose key it quotes
    (counseling.error.past read as booking.error.past); or f"{kind}.{code}" with kind quoted."""
    plain = key.removesuffix("_one")  # formatting.count_key adds _one for exactly one
    if plain in written or key in written:
        return True
    last = plain.rsplit(".", 1)[-1]
    for cut in range(1, len(plain)):
        start, rest = plain[:cut], plain[cut:]
        if plain[cut - 1] in "._" and start in written and (
                "." not in rest or rest in written or last in written
                or any(plain.endswith(end) for end in written if end[0] in "._")
                or any(other + rest in written for other in written if other.endswith("."))):
            return True
    head, _, tail = plain.partition(".")
    return head in written and "." not in tail


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_korean_key_and_no_other(language):
    """Staff-only areas (the console's pages) are Korean and English; the others every language."""
    korean, other = set(catalog(DEFAULT_LANGUAGE)), set(catalog(language))
    if language not in STAFF_LANGUAGES:
        korean -= staff_keys()
    assert sorted(korean - other) == [], f"{language} lacks these (or has them fuzzy or empty)"
    assert sorted(other - korean) == [], f"{language} has keys Korean does not"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang not in STAFF_LANGUAGES])
def test_staff_areas_have_no_files_in_the_other_languages(language):
    staff_files = [entry.name for entry in catalog_files(language) if is_staff_area(entry)]
    assert staff_files == []
    assert set(catalog(language)) & staff_keys() == set()


def test_staff_areas_keys_start_with_their_area():
    for entry in catalog_files(DEFAULT_LANGUAGE):
        if is_staff_area(entry):
            area = entry.name.removesuffix(".pot")
            assert area in STAFF_AREAS
            with entry.open("rb") as po:
                keys = [m.context for m in read_po(po) if m.context]
            assert keys and all(key.startswith(f"{area}.") for key in keys), entry.name


def test_every_key_is_used_by_a_template_or_module(written):
    unused = [key for key in catalog(DEFAULT_LANGUAGE) if not used(key, written)]
    assert unused == []


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE])
def test_every_message_has_the_korean_placeholders(language):
    korean, other = catalog(DEFAULT_LANGUAGE), catalog(language)
    def names(key: str, text: str) -> set[str]:
        return placeholders(text) - ONLY_KOREAN.get(key, set())

    wrong = {key: (sorted(names(key, text)), sorted(names(key, other[key])))
             for key, text in korean.items() if key in other and names(key, text) != names(key, other[key])}
    assert wrong == {}, f"{language}: (Korean, {language}) placeholders differ"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_files_are_valid_gettext_that_poedit_checks_placeholders_in(language):
    """Each entry with a {name} is flagged python-brace-format, so msgfmt -c (Poedit, Weblate)
    checks that a translation keeps the Korean msgid's placeholders; the two keys whose
    placeholders differ on purpose say no-python-brace-format."""
    for entry in catalog_files(language):
        with entry.open("rb") as po:
            assert [m for m in read_po(po, abort_invalid=True) if m.context], entry.name
        for block in entry.read_text(encoding="utf-8").split("\n\n")[1:]:
            key = re.search(r'^msgctxt "(.*)"$', block, re.M)[1]
            source = block.split("\nmsgid ", 1)[1].split("\nmsgstr ", 1)[0]
            if placeholders(source.replace('"\n"', "")):
                differ = key in ONLY_KOREAN or key in DIFFERENT_SPEC
                flag = "no-python-brace-format" if differ else "python-brace-format"
                assert re.search(rf"^#, (.*[ ,])?{flag}\b", block, re.M), f"{entry.name}: {key}"


def test_the_checks_catch_what_they_are_for(written):
    """A made-up key is unused, a dropped placeholder is a mismatch."""
    assert not used("kiosk.nowhere.words", written) and not used("app.no_such_words", written)
    assert used("kiosk.home.welcome", written) and used("kiosk.browse.count_one", written)
    assert placeholders("{count}건 · {when}") == {"count", "when"}
    assert placeholders("{hour}:{minute:02d}") == {"hour", "minute"}
