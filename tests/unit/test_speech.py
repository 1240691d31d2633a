"""espeak-ng speech kept on disk: one file per text, voice and speed, made once however many ask."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import tracemalloc
import wave
from pathlib import Path

import pytest

from kiosk.core import speech
from kiosk.core.speech import SPEEDS, Speaker, SpeechError, voice_for, without_numbers

# CI installs espeak-ng (.ci/run): there a missing one fails the tests instead of skipping them.
pytestmark = pytest.mark.skipif(not shutil.which("espeak-ng") and not os.environ.get("CI"),
                                reason="apt-get install -y espeak-ng")


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as audio:
        return audio.getnframes() / audio.getframerate()


def counting_espeak(tmp_path: Path, pause: float = 0.3) -> tuple[str, Path]:
    """espeak-ng behind a script that notes each run and takes a while, to widen any race."""
    runs = tmp_path / "runs"
    script = tmp_path / "espeak"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        echo run >> {runs}
        sleep {pause}
        exec espeak-ng "$@"
        """))
    script.chmod(0o755)
    return str(script), runs


def test_each_page_language_has_its_voice_in_one_map():
    assert [voice_for(lang) for lang in ("ko", "en", "zh", "vi")] == ["ko", "en", "cmn", "vi"]
    assert voice_for("ko-easy") == "ko" and voice_for("zh_Hans") == "cmn" and voice_for("fr") == "ko"


def test_a_phone_number_keeps_only_its_last_four_digits():
    last = "끝자리 {last}"
    assert without_numbers("010-1234-5678로 보냈습니다", last) == "끝자리 5678로 보냈습니다"
    assert without_numbers("01012345678", last) == "끝자리 5678"
    assert without_numbers("010-****-5678", last) == "끝자리 5678"
    assert without_numbers("+82 10 1234 5678", last) == "끝자리 5678"
    assert without_numbers("1234567890123", last) == "끝자리 0123"
    assert without_numbers("문의 1588-0000, 031-228-3111", last) == "문의 1588-0000, 031-228-3111"
    assert without_numbers("공고번호 J1234, 시급 10,320원, 2026년", last) == "공고번호 J1234, 시급 10,320원, 2026년"


def test_the_same_text_is_rendered_once_and_served_from_disk(tmp_path):
    program, runs = counting_espeak(tmp_path, pause=0)
    speaker = Speaker(tmp_path / "speech", program)
    first = speaker.path("다음 화면으로 갑니다.", "ko")
    again = Speaker(tmp_path / "speech", program).path("다음  화면으로\n갑니다.", "ko")  # another worker
    assert first == again and runs.read_text().count("run") == 1
    assert seconds(first.read_bytes()) > 0.5
    assert sorted(p.suffix for p in first.parent.iterdir()) == [".wav"]  # no lock or part left
    other = speaker.path("다음 화면으로 갑니다.", "ko", "slow")
    assert other != first and seconds(other.read_bytes()) > seconds(first.read_bytes())


def test_concurrent_requests_for_one_text_run_espeak_once(tmp_path):
    """Eight threads of this process and two other processes ask at the same moment."""
    program, runs = counting_espeak(tmp_path)
    folder = tmp_path / "speech"
    text = "일자리 찾기 화면입니다."
    others = [subprocess.Popen([sys.executable, "-c", (
        "import sys; from kiosk.core.speech import Speaker;"
        f"print(Speaker(sys.argv[1], sys.argv[2]).path({text!r}, 'ko'))"), str(folder), program],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy()) for _ in range(2)]
    speaker = Speaker(folder, program)
    found: list[Path] = []
    threads = [threading.Thread(target=lambda: found.append(speaker.path(text, "ko"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    paths = {Path(p.communicate(timeout=30)[0].strip()) for p in others} | set(found)
    assert len(paths) == 1 and len(found) == 8
    assert runs.read_text().count("run") == 1
    assert seconds(paths.pop().read_bytes()) > 0.5


def test_every_voice_speaks_and_speed_changes_the_length(tmp_path):
    speaker = Speaker(tmp_path)
    for language, text in [("ko", "안녕하세요"), ("en", "Hello there"), ("zh", "你好"), ("vi", "Xin chào")]:
        assert seconds(speaker.wav(text, language)) > 0.3, language
    slow, fast = (seconds(speaker.wav("Choose a job and press OK.", "en", speed)) for speed in ("slow", "fast"))
    assert slow > fast * SPEEDS["fast"] / SPEEDS["slow"] * 0.8
    assert list(tmp_path.iterdir()) == []  # wav() keeps nothing on disk


def test_a_missing_program_is_a_speech_error(tmp_path):
    with pytest.raises(SpeechError):
        Speaker(tmp_path, str(tmp_path / "no-such-espeak")).path("다음", "ko")
    assert [p for p in tmp_path.iterdir() if p.suffix in {".wav", ".part"}] == []


def test_words_kept_in_memory_only_are_rendered_once_by_many_threads(tmp_path):
    program, runs = counting_espeak(tmp_path)
    speaker = Speaker(tmp_path / "speech", program)
    heard: list[bytes] = []
    threads = [threading.Thread(target=lambda: heard.append(speaker.wav("박민수 바꾸기", "ko"))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(heard)) == 1 and len(heard) == 6 and seconds(heard[0]) > 0.5
    assert runs.read_text().count("run") == 1
    assert not (tmp_path / "speech").exists()  # nothing of it on disk


def test_many_different_words_leave_nothing_behind_but_the_last_few(tmp_path, monkeypatch):
    """A worker speaks every opening's title for months: what it keeps stays bounded."""
    monkeypatch.setattr(speech, "MEMORY_ITEMS", 4)
    sample = tmp_path / "sample.wav"
    with wave.open(str(sample), "wb") as audio:
        audio.setnchannels(1), audio.setsampwidth(2), audio.setframerate(22050)
        audio.writeframes(b"\0\0" * 100)
    program = tmp_path / "espeak"  # a quick stand-in: this test counts what stays, not the sound
    program.write_text(f'#!/bin/sh\ncp {sample} "$6"\n')
    program.chmod(0o755)
    speaker = Speaker(tmp_path / "speech", str(program))
    for number in range(20):
        speaker.wav(f"공고 {number}", "ko")
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        for number in range(20, 420):
            speaker.wav(f"공고 {number}", "ko")
        grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(before, "filename"))
    finally:
        tracemalloc.stop()
    assert grown < 20_000, grown  # not a few hundred bytes for each of the 400 texts
