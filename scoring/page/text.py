"""Word tokenising shared by the page model, language detection, topic and readability."""

from __future__ import annotations

import re
from collections.abc import Callable

#: At most this many words are examined by language detection.
MAX_WORDS = 2000

# Punctuation that may open or close a token and is never part of a word.
_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’„…*/-–—"


def findall_by_token(pattern: re.Pattern[str], text: str, whole: Callable[[str], bool]) -> list[str]:
    """`pattern.findall(text)` for a word pattern whose matches never hold a space and are the whole token
    when the token, bare of edge punctuation, passes `whole` (`str.isalpha` for letters, `str.isalnum` for
    words with digits). Most tokens are plain words that skip the regex engine: a third of the time."""
    out: list[str] = []
    findall = pattern.findall
    for token in text.split():
        if whole(token):  # nothing to strip (no edge punctuation is a letter or digit): skip the costly strip
            out.append(token)
            continue
        core = token.strip(_EDGE_PUNCTUATION)
        if whole(core):
            out.append(core)
        else:
            out.extend(findall(token))
    return out


# Letters only; apostrophes split ("l'homme" -> "l", "homme").
_WORD_RE = re.compile(r"[^\W\d_]+")
# Rough upper bound on characters needed for MAX_WORDS words.
_SAMPLE_CHARS = MAX_WORDS * 12


def letter_words(text: str, chars: int = _SAMPLE_CHARS) -> list[str]:
    """The lower-case runs of letters in the first `chars` characters of text."""
    return findall_by_token(_WORD_RE, text[:chars].lower(), str.isalpha)
