"""Registering in easy Korean, Chinese or Vietnamese: the screens, the language step and every
text to the seeker afterwards are in the language chosen."""

from __future__ import annotations

import html

import pytest
from test_register import PHONE, K, Visitor

from kiosk.core.i18n import HTML_LANG, LANGUAGES, translate
from kiosk.seekers import store as seekers

NEW = ("ko-easy", "zh", "vi")


def opening_words(key: str, language: str) -> str:
    """A message's text up to its first placeholder: what every filled-in copy starts with."""
    return translate(key, language, **{name: "\0" for name in ("center", "phone", "code")}).split("\0")[0]


def sent(conn, where: str) -> dict:
    return conn.execute(f"SELECT * FROM sms_messages WHERE {where} ORDER BY id DESC LIMIT 1").fetchone()


@pytest.fixture
def visitor(client, conn):
    return Visitor(client, conn)


@pytest.mark.parametrize("language", NEW)
def test_a_visitor_registers_in_the_screens_language_and_is_texted_in_it(visitor, client, conn, language):
    visitor.post(f"{K}/prefs", lang=language, next=f"{K}/register")
    start = client.get(f"{K}/register").text
    assert f'<html lang="{HTML_LANG[language]}"' in start
    assert html.escape(translate("register.start.title", language)) in start
    visitor.register()
    code = sent(conn, "kind = 'otp'")
    assert code["language"] == language and code["body"].startswith(opening_words("register.sms.code", language))
    seeker = seekers.find_by_phone(conn, PHONE)
    assert seeker["language"] == language
    welcome = sent(conn, "dedupe_key LIKE 'welcome:%'")
    assert welcome["language"] == language
    assert welcome["body"].startswith(opening_words("register.sms.welcome", language))
    done = client.get(f"{K}/register/done").text
    assert html.escape(translate("register.done.title", language)) in done


def test_the_language_step_offers_every_language_and_its_choice_is_kept(visitor, client, conn):
    visitor.verify()
    visitor.post(f"{K}/register/consent/personal_data", answer="yes")
    visitor.post(f"{K}/register/alerts", sms_alerts="yes", night_alerts="no")
    visitor.post(f"{K}/register/step/occupation", value=[])
    visitor.post(f"{K}/register/step/region", value=[])
    step = client.get(f"{K}/register/step/language?return=review").text
    for code in LANGUAGES:
        assert f'value="{code}"' in step and html.escape(translate(f"register.language.{code}")) in step
    visitor.post(f"{K}/register/step/language", value="vi", **{"return": "review"})
    review = client.get(f"{K}/register/review").text  # the screens follow the choice at once
    assert '<html lang="vi"' in review and "Tiếng Việt" in review
    visitor.post(f"{K}/register/confirm")
    assert seekers.find_by_phone(conn, PHONE)["language"] == "vi"
    assert sent(conn, "dedupe_key LIKE 'welcome:%'")["body"].startswith("[JobStop] Đã đăng ký.")


def test_a_language_no_one_offers_is_refused_and_nothing_changes(visitor, client, conn):
    visitor.post(f"{K}/prefs", lang="fr", next=f"{K}/")
    assert '<html lang="ko"' in client.get(f"{K}/").text
    visitor.verify()
    visitor.post(f"{K}/register/consent/personal_data", answer="yes")
    again = visitor.post(f"{K}/register/step/language", value="fr", **{"return": "review"}).location
    page = client.get(again).text
    assert translate("register.error.choose_one") in page and '<html lang="ko"' in page


@pytest.mark.parametrize("language", ["vi", "zh", "en"])
def test_korean_names_inside_a_sentence_in_another_language_say_lang_ko(visitor, client, conn, language):
    visitor.post(f"{K}/prefs", lang=language, next=f"{K}/")
    home = client.get(f"{K}/").text
    help_line = home[home.index('class="muted home-help"'):].split("</p>")[0]
    center = conn.execute("SELECT c.name FROM kiosks k JOIN centers c ON c.id = k.center_id"
                          " WHERE k.code = 'suwon-station'").fetchone()[0]
    assert f'<span lang="ko">{html.escape(center)}</span>' in help_line
    assert html.escape(translate("kiosk.home.help", language, center="\0", phone="\0").split("\0")[0]) in help_line


def test_on_a_korean_page_the_same_sentence_has_no_marks(client):
    home = client.get(f"{K}/").text
    assert '<span lang="ko">' not in home[home.index('class="muted home-help"'):].split("</p>")[0]
