"""Reply keywords in Korean and English, tolerant of case, width, spacing and punctuation.

Opting out, help and cancel count when the keyword is the whole text ("수신 거부!", "ＳＴＯＰ")
or the first word of a longer one ("STOP please", "수신거부,감사합니다", "그만ㅠㅠ"). Words are
split on spaces and on punctuation and symbols (emoji too), but not inside a word: "end-of-day"
and "don't" stay one word. Nothing else is guessed: "stopped" or "그만둔 회사" are not keywords.
Opting in needs the whole text to be the keyword ("START", "시작."): "시작 시간이 언제예요?"
must not re-subscribe anyone. CANCEL / 취소 belong to appointments, never to opting out.
"""

from __future__ import annotations

import re
import unicodedata

OPT_OUT = frozenset({
    "stop", "stopall", "unsubscribe", "end", "quit", "수신거부", "거부", "중지", "그만",
    "수신중지", "문자거부", "문자수신거부", "문자수신중지", "문자그만",
    # Whole requests written as one word ("그만보내세요", "보내지 마세요" once its spaces go).
    "그만보내", "그만보내요", "그만보내세요", "그만보내줘", "그만보내줘요", "그만보내주세요",
    "보내지마", "보내지마요", "보내지마세요", "보내지마라", "보내지말아주세요", "보내지말아요",
})
OPT_IN = frozenset({"start", "unstop", "시작", "수신동의"})
HELP = frozenset({"help", "info", "도움", "도움말", "?"})
CANCEL = frozenset({"cancel", "취소"})

# Opt-out first: it is honored before anything else. Opt-in is matched on the whole text only.
FIRST_WORD = {"opt_out": OPT_OUT, "help": HELP, "cancel": CANCEL}
# Polite verb endings people add in Korean ("그만해요", "취소합니다"). Opting out and cancelling
# accept them; opting in does not ("시작해요" may mean a new job started), it must be explicit.
ENDINGS = ("해", "해요", "해줘", "해줘요", "해주세요", "합니다", "해라", "요")
WITH_ENDINGS = {"opt_out": OPT_OUT, "cancel": CANCEL}
# Crying / laughing jamo people add at the end ("그만ㅠㅠ", "stopㅋㅋ", "그만ㅋㅠ"). They are
# kept out of NFKC, which would turn ㅋ+ㅠ (or ㅎ+ㅜ) into a syllable (큐, 후).
TRAILING_JAMO = "ㅠㅜㅋㅎㅡ"
_JAMO_RUNS = re.compile(f"([{TRAILING_JAMO}]+)")
# Inside a word these join rather than separate: un-stop, don't, 수신_거부.
JOINERS = frozenset("-‐‑‒–'’_")


def _is_separator(ch: str) -> bool:
    """Spaces, punctuation and symbols (emoji included) end a word; hyphens and apostrophes do not."""
    return ch not in JOINERS and (ch.isspace() or unicodedata.category(ch)[0] in "PSZC")


def _strip(token: str) -> str:
    """Drops punctuation, symbols and trailing ㅠㅋ (but a text of only question marks is a question)."""
    kept = "".join(ch for ch in token if unicodedata.category(ch)[0] not in "PSZC").rstrip(TRAILING_JAMO)
    if not kept and token and set(token) <= {"?"}:
        return "?"
    return kept


def _fold(text: str) -> str:
    """NFKC and case folded, runs of ㅠㅋ left as typed."""
    parts = _JAMO_RUNS.split(text or "")  # odd items are the jamo runs
    return "".join(part if odd % 2 else unicodedata.normalize("NFKC", part)
                   for odd, part in enumerate(parts)).casefold()


def normalize(text: str) -> str:
    """NFKC (full width → half width), case folded, every space and punctuation mark removed."""
    return _strip("".join(_fold(text).split()))


def words(text: str) -> list[str]:
    """The text's words, normalized one by one; empty ones (pure punctuation or emoji) dropped."""
    spaced = "".join(" " if _is_separator(ch) else ch for ch in _fold(text))
    return [word for word in (_strip(token) for token in spaced.split()) if word]


def candidates(text: str) -> list[str]:
    """What may be a keyword: the whole text, and its first one, two and three words joined."""
    found = [normalize(text)]
    first = words(text)
    for count in (1, 2, 3):  # "수신 거부 해주세요", "문자 수신 거부"
        if len(first) >= count:
            found.append("".join(first[:count]))
    return [word for word in found if word]


def classify(text: str) -> str | None:
    """'opt_out', 'opt_in', 'help', 'cancel' or None — opt-out is checked first."""
    options = candidates(text)
    if _matches(options, "opt_out"):
        return "opt_out"
    if normalize(text) in OPT_IN:
        return "opt_in"
    for name in ("help", "cancel"):
        if _matches(options, name):
            return name
    return None


def _matches(options: list[str], name: str) -> bool:
    return any(word in FIRST_WORD[name] or _with_ending(word, name) for word in options)


def _with_ending(word: str, name: str) -> bool:
    stems = WITH_ENDINGS.get(name, ())
    return any(word.endswith(ending) and word[: -len(ending)] in stems for ending in ENDINGS)
