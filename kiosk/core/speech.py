"""Spoken guidance: espeak-ng renders a text in a voice as WAV, kept on disk by a hash.

The kiosk PC needs nothing but Chromium: the server speaks and the kiosk plays the file. A file
is named by a hash of its text, voice and speed, written once (a lock file makes a second
request for the same text, in this process or another worker, wait for the first instead of
running espeak again) and replaced atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import subprocess
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

# The one map from a page language to an espeak-ng voice. A language not listed speaks with
# the voice of its first part ("ko-easy" → "ko"), else Korean.
VOICES = {"ko": "ko", "en": "en", "zh": "cmn", "vi": "vi"}
DEFAULT_VOICE = "ko"
# Speeds a visitor can choose, as espeak-ng's words per minute.
SPEEDS = {"slow": 130, "normal": 165, "fast": 210}
DEFAULT_SPEED = "normal"
MAX_CHARACTERS = 400  # longer than any screen's guidance; a bound on what one request costs
MEMORY_ITEMS = 256  # words of controls kept in memory by wav() (a few MB)
LOCKS = 64  # a text's render waits only for another of the same text, or one sharing its lock

# A visitor's phone number is never spoken in full: a mobile number (01x and 10–11 digits,
# dashes and spaces between them allowed), any longer run of digits, or a number masked as
# screens show it (010-****-1234) keeps only its last four digits. A center's published
# number (1588-0000, 031-228-3111) is read as it is.
_NUMBER = re.compile(r"(?<![\d*])\+?(?:[\d*][\s\-]*){3,}(\d[\s\-]*\d[\s\-]*\d[\s\-]*\d)(?![\d*])")


def _personal(run: str) -> bool:
    digits = re.sub(r"[^\d*]", "", run)
    return "*" in digits or (digits.startswith("01") and len(digits) >= 10) or len(digits) >= 12


class SpeechError(RuntimeError):
    """espeak-ng is missing or failed."""


def voice_for(language: str) -> str:
    """The espeak-ng voice that reads a page in this language."""
    return VOICES.get(language) or VOICES.get(language.split("-")[0].split("_")[0], DEFAULT_VOICE)


def speed_wpm(speed: str) -> int:
    return SPEEDS.get(speed, SPEEDS[DEFAULT_SPEED])


def without_numbers(text: str, last_digits: str) -> str:
    """Text with every personal number replaced by last_digits filled with its last four digits.

    last_digits is a catalog line such as "끝자리 {last}".
    """
    def spoken(match: re.Match[str]) -> str:
        if not _personal(match.group(0)):
            return match.group(0)
        return last_digits.format(last=re.sub(r"\D", "", match.group(1)))

    return _NUMBER.sub(spoken, text)


def file_name(text: str, voice: str, wpm: int) -> str:
    """The cache file's name: a hash of what it says and how."""
    digest = hashlib.sha256(f"{voice}\0{wpm}\0{text}".encode()).hexdigest()
    return f"{digest[:40]}.wav"


class Speaker:
    """Renders and keeps speech files in one folder; one per app, shared by its threads."""

    def __init__(self, folder: str | os.PathLike[str], program: str = "espeak-ng") -> None:
        self.folder = Path(folder)
        self.program = program
        self._locks = tuple(threading.Lock() for _ in range(LOCKS))  # by name: a fixed set, however many texts
        self._guard = threading.Lock()
        self._memory: OrderedDict[str, bytes] = OrderedDict()

    def path(self, text: str, language: str, speed: str = DEFAULT_SPEED) -> Path:
        """The WAV file saying text in the language's voice, rendered now if not kept yet."""
        text = " ".join(text.split())[:MAX_CHARACTERS]
        voice, wpm = voice_for(language), speed_wpm(speed)
        target = self.folder / file_name(text, voice, wpm)
        if target.exists():
            return target
        with self._thread_lock(target.name), self._process_lock(target) as lock:
            if not target.exists():  # another thread or worker may have made it meanwhile
                self._render(text, voice, wpm, target)
            lock.path.unlink(missing_ok=True)  # whoever waits on it finds the file made
        return target

    def wav(self, text: str, language: str, speed: str = DEFAULT_SPEED) -> bytes:
        """The WAV saying text, kept in this process's memory only (for words that may be personal).

        The last MEMORY_ITEMS are kept; two threads asking for the same words run espeak once.
        """
        text = " ".join(text.split())[:MAX_CHARACTERS]
        voice, wpm = voice_for(language), speed_wpm(speed)
        name = file_name(text, voice, wpm)
        with self._thread_lock(name):
            audio = self._memory.get(name)
            if audio is None:
                # espeak-ng's --stdout writes a streaming header without lengths: render to a file.
                with tempfile.TemporaryDirectory() as folder:
                    target = Path(folder) / name
                    self._render(text, voice, wpm, target)
                    audio = target.read_bytes()
            self._remember(name, audio)
        return audio

    def _remember(self, name: str, audio: bytes) -> None:
        with self._guard:
            self._memory[name] = audio
            self._memory.move_to_end(name)
            while len(self._memory) > MEMORY_ITEMS:
                self._memory.popitem(last=False)

    def _thread_lock(self, name: str) -> threading.Lock:
        return self._locks[int(name[:8], 16) % LOCKS]

    def _process_lock(self, target: Path) -> _FileLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        return _FileLock(target.with_suffix(".lock"))

    def _render(self, text: str, voice: str, wpm: int, target: Path) -> None:
        fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(fd)
        try:
            subprocess.run([self.program, "-v", voice, "-s", str(wpm), "-w", temporary, "--", text],
                           check=True, capture_output=True, timeout=30)
            os.replace(temporary, target)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechError(f"{self.program} could not speak ({exc})") from exc
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


class _FileLock:
    """An exclusive lock between processes (gunicorn's workers), held for one render."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = -1

    def __enter__(self) -> _FileLock:
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *_exc: object) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
