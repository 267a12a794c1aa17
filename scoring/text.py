"""Word tokenising shared by the page model, language detection and readability."""

from __future__ import annotations

import re
from collections.abc import Callable

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
