"""Korean particles that depend on the word before them: 을/를, 이/가, 은/는, 과/와.

Whether the last syllable of a word has a final consonant (받침) picks the form. Digits and
Latin letters are read aloud the Korean way (3 삼 → 을, 2 이 → 를; M 엠 → 을, A 에이 → 를);
closing brackets and punctuation at the end are skipped, as a reader does.
"""

from __future__ import annotations

_FIRST, _LAST = 0xAC00, 0xD7A3
_DIGIT_HAS_FINAL = {"0": True, "1": True, "2": False, "3": True, "4": False, "5": False,
                    "6": True, "7": True, "8": True, "9": False}
_LATIN_HAS_FINAL = set("lmnrLMNR")  # 엘 엠 엔 알
_SKIPPED = " )]}>\"'”’」』.,!?·"


def has_final_consonant(word: str) -> bool | None:
    """True or False for a word ending in a syllable, digit or letter; None when unknown."""
    text = word.rstrip(_SKIPPED)
    if not text:
        return None
    last = text[-1]
    if _FIRST <= ord(last) <= _LAST:
        return (ord(last) - _FIRST) % 28 != 0
    if last in _DIGIT_HAS_FINAL:
        return _DIGIT_HAS_FINAL[last]
    if last.isascii() and last.isalpha():
        return last in _LATIN_HAS_FINAL
    return None


def particle(word: str, after_final: str, after_vowel: str) -> str:
    """The word with the particle its ending calls for; both forms when it cannot tell."""
    final = has_final_consonant(word)
    if final is None:
        return f"{word}{after_final}({after_vowel})"
    return word + (after_final if final else after_vowel)


def object_particle(word: str) -> str:
    """사무원 → 사무원을, 경비 → 경비를."""
    return particle(word, "을", "를")
