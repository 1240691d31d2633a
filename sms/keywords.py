"""Reply keywords in Korean and English, tolerant of case, width, spacing and punctuation.

A keyword counts when it is the whole text ("수신 거부!", "ＳＴＯＰ") or the first word of a
longer one ("STOP please", "수신 거부 해주세요"). Nothing else is guessed: "stopped" or
"그만둔 회사" are not keywords. CANCEL / 취소 belong to appointments, never to opting out.
"""

from __future__ import annotations

import unicodedata

OPT_OUT = frozenset({"stop", "stopall", "unsubscribe", "end", "quit", "수신거부", "거부", "중지", "그만"})
OPT_IN = frozenset({"start", "unstop", "시작", "수신동의"})
HELP = frozenset({"help", "info", "도움", "도움말", "?"})
CANCEL = frozenset({"cancel", "취소"})

KEYWORDS = {"opt_out": OPT_OUT, "opt_in": OPT_IN, "help": HELP, "cancel": CANCEL}
# Polite verb endings people add in Korean ("그만해요", "취소합니다"). Opting out and cancelling
# accept them; opting in does not ("시작해요" may mean a new job started), it must be explicit.
ENDINGS = ("해", "해요", "해줘", "해줘요", "해주세요", "합니다", "해라", "요")
WITH_ENDINGS = {"opt_out": OPT_OUT, "cancel": CANCEL}


def _strip(token: str) -> str:
    """Drops punctuation and symbols (but a text of only question marks is a question)."""
    kept = "".join(ch for ch in token if unicodedata.category(ch)[0] not in "PSZC")
    if not kept and token and set(token) <= {"?"}:
        return "?"
    return kept


def normalize(text: str) -> str:
    """NFKC (full width → half width), case folded, every space and punctuation mark removed."""
    return _strip("".join(unicodedata.normalize("NFKC", text or "").casefold().split()))


def words(text: str) -> list[str]:
    """The text's words, normalized one by one; empty ones (pure punctuation) dropped."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return [word for word in (_strip(token) for token in folded.split()) if word]


def candidates(text: str) -> list[str]:
    """What may be a keyword: the whole text, its first word, its first two words joined."""
    found = [normalize(text)]
    first = words(text)
    if first:
        found.append(first[0])
    if len(first) > 1:
        found.append(first[0] + first[1])  # "수신 거부 해주세요"
    return [word for word in found if word]


def classify(text: str) -> str | None:
    """'opt_out', 'opt_in', 'help', 'cancel' or None — opt-out is checked first."""
    options = candidates(text)
    for name, keywords in KEYWORDS.items():
        if any(word in keywords or _with_ending(word, name) for word in options):
            return name
    return None


def _with_ending(word: str, name: str) -> bool:
    stems = WITH_ENDINGS.get(name, ())
    return any(word.endswith(ending) and word[: -len(ending)] in stems for ending in ENDINGS)
