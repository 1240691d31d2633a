"""Voice guidance over HTTP: every screen's line in every language, the focused control, the toggle."""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import wave
from pathlib import Path

import pytest

from kiosk.core.i18n import LANGUAGES, has, translate
from kiosk.core.speech import SPEEDS
from tests.unit.test_speech import counting_espeak
from tests.web.test_register import K, visitor  # noqa: F401  (fixture)

# CI installs espeak-ng (.ci/run): there a missing one fails the tests instead of skipping them.
pytestmark = pytest.mark.skipif(not shutil.which("espeak-ng") and not os.environ.get("CI"),
                                reason="apt-get install -y espeak-ng")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "kiosk"


def screens() -> dict[str, str]:
    """Each kiosk page template and the spoken line it names."""
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        page = re.search(r'{% extends "kiosk/(layout|register/form_layout)\.html" %}', source)
        if page and not path.name.endswith("layout.html"):
            match = re.search(r"{% set voice_screen = '(\w+)' %}", source)
            found[str(path.relative_to(TEMPLATES))] = match.group(1) if match else ""
    return found


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        return audio.getnframes() / audio.getframerate()


def token_of(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"{K}/").text).group(1)


def voice_on(client, **more) -> str:
    token = token_of(client)
    response = client.post(f"{K}/prefs", data={"csrf_token": token, "toggle": "voice", "next": f"{K}/", **more})
    assert response.status_code == 303
    return token


def test_every_kiosk_screen_names_its_spoken_line_in_every_language():
    found = screens()
    assert len(found) >= 25
    assert all(found.values()), [page for page, name in found.items() if not name]
    for name in set(found.values()) | {"default"}:
        for lang in LANGUAGES:
            assert has(f"voice.screen.{name}", lang), (name, lang)


def test_each_screen_speaks_in_each_language_for_as_long_as_its_text(client):
    lengths: dict[str, list[tuple[int, float]]] = {}
    for name in sorted(set(screens().values())):
        for lang in LANGUAGES:
            response = client.get(f"{K}/speech/{lang}/normal/{name}.wav")
            assert response.status_code == 200 and response.mimetype == "audio/wav", (name, lang)
            text = translate(f"voice.screen.{name}", lang)
            lengths.setdefault(lang, []).append((len(text), seconds(response.data)))
    for lang, pairs in lengths.items():
        rates = [spoken / chars for chars, spoken in pairs]
        assert all(spoken >= 1.5 for _, spoken in pairs), lang
        # Every line takes about the same time per character: none is cut short or padded.
        middle = statistics.median(rates)
        assert all(0.6 * middle <= rate <= 1.6 * middle for rate in rates), (lang, rates)
        # A Chinese character is a whole syllable; a Hangul or Latin letter is less.
        assert 0.03 <= middle <= (0.45 if lang == "zh" else 0.25), (lang, middle)
        shortest, longest = min(pairs), max(pairs)
        assert longest[1] > 2 * shortest[1]


def test_a_slower_speed_takes_longer_and_is_kept_apart(client, app):
    durations = {speed: seconds(client.get(f"{K}/speech/ko/{speed}/home.wav").data) for speed in SPEEDS}
    assert durations["slow"] > durations["normal"] > durations["fast"]
    kept = list((Path(app.instance_path) / "speech").glob("*.wav"))
    assert len(kept) == 3 and all(len(p.stem) == 40 for p in kept)  # a hash, not words
    again = client.get(f"{K}/speech/ko/slow/home.wav")
    assert seconds(again.data) == durations["slow"] and len(list(kept[0].parent.glob("*.wav"))) == 3


@pytest.mark.parametrize("path", ["/zz/normal/home.wav", "/ko/loud/home.wav", "/ko/normal/nothing.wav",
                                  "/ko/normal/01012345678.wav", "/ko/normal/home.mp3"])
def test_only_catalog_lines_in_known_languages_and_speeds_are_spoken(client, path):
    assert client.get(f"{K}/speech{path}").status_code == 404


def test_the_toggle_turns_guidance_on_for_the_visit_with_its_controls(client):
    home = client.get(f"{K}/").text
    assert "data-voice=" not in home and "voice.js" not in home and 'value="voice"' in home
    voice_on(client)
    page = client.get(f"{K}/openings").text
    assert 'data-voice="on"' in page and "js/voice.js" in page
    assert f'data-voice-screen="{K}/speech/ko/normal/openings.wav"' in page
    assert 'id="voice-replay"' in page and 'name="voice_volume"' in page and 'name="voice_speed"' in page
    assert re.search(r'id="voice-toggle" aria-pressed="true"', page)
    assert f"{K}/speech/ko/normal/register_start.wav" in client.get(f"{K}/register").text


def test_volume_and_speed_are_kept_for_the_visit_and_bounded(client):
    token = voice_on(client)
    for _ in range(3):
        client.post(f"{K}/prefs", data={"csrf_token": token, "voice_volume": "up", "next": f"{K}/"})
    client.post(f"{K}/prefs", data={"csrf_token": token, "voice_speed": "slow", "lang": "en", "next": f"{K}/"})
    page = client.get(f"{K}/openings").text
    assert 'data-voice-volume="1.0"' in page and "Volume 5 of 5" in page
    assert f"{K}/speech/en/slow/openings.wav" in page
    assert re.search(r'name="voice_volume" value="up" disabled', page)
    for _ in range(6):
        client.post(f"{K}/prefs", data={"csrf_token": token, "voice_volume": "down", "next": f"{K}/"})
    assert 'data-voice-volume="0.2"' in client.get(f"{K}/").text
    client.post(f"{K}/prefs", data={"csrf_token": token, "voice_speed": "shouting", "next": f"{K}/"})
    assert f"{K}/speech/en/slow/home.wav" in client.get(f"{K}/").text


def test_a_finished_task_keeps_voice_guidance_and_the_visit_end_drops_it(visitor, client, conn):  # noqa: F811
    visitor.post(f"{K}/prefs", toggle="voice", next=f"{K}/")
    done = client.get(visitor.register().location)
    assert 'data-voice="on"' in done.text and f"{K}/speech/ko/normal/register_done.wav" in done.text
    visitor.post(f"{K}/reset")
    assert "data-voice=" not in client.get(f"{K}/").text


def test_the_focused_control_is_spoken_from_a_post_and_numbers_keep_four_digits(client, app):
    token = voice_on(client)
    said = client.post(f"{K}/speech", data={"text": "다음"}, headers={"X-CSRF-Token": token})
    assert said.status_code == 200 and said.mimetype == "audio/wav" and seconds(said.data) > 0.2
    kept = Path(app.instance_path) / "speech"
    assert len(list(kept.glob("*.wav"))) == 1  # a catalog word: kept on disk
    masked = client.post(f"{K}/speech", data={"text": "010-7777-1234로 보냈습니다"}, headers={"X-CSRF-Token": token})
    plain = client.post(f"{K}/speech", data={"text": "끝자리 1234로 보냈습니다"}, headers={"X-CSRF-Token": token})
    assert masked.data == plain.data
    name = client.post(f"{K}/speech", data={"text": "박민수 바꾸기"}, headers={"X-CSRF-Token": token})
    assert seconds(name.data) > 0.5
    assert len(list(kept.glob("*.wav"))) == 1  # words that may be a person's: not kept on disk


def test_a_line_or_words_asked_again_do_not_run_espeak_again(client, app, tmp_path):
    program, runs = counting_espeak(tmp_path, pause=0)
    app.config["SPEECH_PROGRAM"] = program
    app.extensions.pop("speaker", None)
    token = voice_on(client)
    for _ in range(3):  # the screen's line from disk, a visitor's words from the worker's memory
        assert client.get(f"{K}/speech/ko/normal/openings.wav").status_code == 200
        said = client.post(f"{K}/speech", data={"text": "박민수 바꾸기"}, headers={"X-CSRF-Token": token})
        assert said.status_code == 200 and seconds(said.data) > 0.5
    assert runs.read_text().count("run") == 2


def test_speaking_a_control_needs_the_form_token_and_a_sensible_text(client):
    token = voice_on(client)
    assert client.post(f"{K}/speech", data={"text": "다음"}).status_code == 400
    assert client.post(f"{K}/speech", data={"text": " "}, headers={"X-CSRF-Token": token}).status_code == 400
    assert client.post(f"{K}/speech", data={"text": "가" * 401}, headers={"X-CSRF-Token": token}).status_code == 400


def test_without_espeak_the_screen_still_works_and_speech_says_unavailable(client, app):
    app.config["SPEECH_PROGRAM"] = "/nonexistent/espeak-ng"
    app.extensions.pop("speaker", None)
    voice_on(client)
    assert client.get(f"{K}/openings").status_code == 200
    assert client.get(f"{K}/speech/ko/normal/openings.wav").status_code == 503
