"""The on-screen Hangul keyboard composes syllables from jamo; backspace removes the last jamo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.seekers import store as seekers
from tests.browser.test_register_browser import K, registered, verify_by_taps  # noqa: F401  (fixture)

HANGUL_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "hangul.js"


@pytest.fixture
def composer(page):
    page.goto("/static/css/forms.css")  # any page of the app; the script needs a document
    page.add_script_tag(url="/static/js/hangul.js")  # from the app: its CSP allows no inline script
    return lambda keys: page.evaluate("keys => Hangul.compose(keys)", list(keys))


@pytest.mark.parametrize(("keys", "text"), [
    ("ㄱㅓㄴ", "건"),
    ("ㅇㅜㅓ", "워"),
    ("ㄷㅏㄹㄱ", "닭"),
    ("ㅇㅣㄹㅈㅏㄹㅣ", "일자리"),
    ("ㄷㅏㄹㄱㅏ", "달가"),       # the last consonant of a double final starts the next syllable
    ("ㄱㅏㄴㅏ", "가나"),
    ("ㄲㅗㅊ", "꽃"),
    ("ㅎㅗㅏㄱ", "확"),
    ("ㄸㄸ", "ㄸㄸ"),            # ㄸ cannot end a syllable
    ("ㅏ", "ㅏ"),
    (["ㄱ", "ㅣ", "ㅁ", " ", "K", "i", "m"], "김 Kim"),
])
def test_compose(composer, keys, text):
    assert composer(keys) == text


def test_backspace_removes_the_last_jamo(composer):
    keys = list("ㄷㅏㄹㄱ")
    seen = []
    while keys:
        seen.append(composer(keys))
        keys.pop()
    assert seen == ["닭", "달", "다", "ㄷ"]
    assert composer(list("ㅇㅜㅓ")[:-1]) == "우"


def test_decompose_gives_back_the_keys(page, composer):
    for word in ("건", "워", "닭", "일자리", "꽃밭", "홍길동"):
        keys = page.evaluate("w => Hangul.decompose(w)", word)
        assert composer(keys) == word
    assert page.evaluate("Hangul.decompose('닭')") == ["ㄷ", "ㅏ", "ㄹ", "ㄱ"]


def test_typing_a_name_by_taps(page, conn, registered):  # noqa: F811
    page.goto(f"{K}/my")
    verify_by_taps(page, conn)
    page.wait_for_url(re.compile(r"/my$"))
    page.locator("#edit-name").tap()
    page.wait_for_url(re.compile(r"/my/edit/name$"))
    field = page.locator("#answer")
    assert field.input_value() == "박민수"
    back = page.locator("[data-action='back']")
    for expected in ("박민ㅅ", "박민", "박미", "박ㅁ", "박"):
        back.tap()
        assert field.input_value() == expected
    for key in "ㅇㅣㄹㅈㅏㄹㅣ":
        page.locator(f".kb-layout[data-layout='ko'] [data-key='{key}']").tap()
    assert field.input_value() == "박일자리"
    page.locator("[data-action='shift']").tap()
    page.locator(".kb-layout[data-layout='ko'] [data-key='ㄱ']").tap()  # shifted: ㄲ
    page.locator(".kb-layout[data-layout='ko'] [data-key='ㅗ']").tap()
    assert field.input_value() == "박일자리꼬"
    back.tap()
    back.tap()
    page.locator("[data-action='layout']").tap()
    page.locator("[data-key=' ']").tap()
    for key in "lee":
        page.locator(f".kb-layout[data-layout='en'] [data-key='{key}']").tap()
    assert field.input_value() == "박일자리 lee"
    page.get_by_role("button", name="저장").tap()
    page.wait_for_url(re.compile(r"/my$"))
    assert seekers.get(conn, registered)["name"] == "박일자리 lee"
