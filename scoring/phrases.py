"""Phrase lists from language data, compiled into a regex and the fast pre-test that guards it.

A phrase is written in the data files as plain words with one small notation: ``(a|b|c)`` gives
alternatives and an empty alternative makes the group optional: ``(medically |clinically |)reviewed by``.
In the compiled pattern a space matches any run of spaces or hyphens, and an accented letter also
matches its plain form (``rédigé`` matches ``redige``); matching ignores case.

The pre-test is generated from the same expanded list: for each phrase, the longest run of plain ASCII
letters it holds (its *anchor*). A match of the pattern always contains one of the anchors, so a text
whose case-folded form holds none of them cannot match, and the regex is skipped. ``gated_search`` and a
full ``search`` therefore give the same answer; tests/test_phrases.py proves it on random text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cached_property

_GROUP = re.compile(r"\(([^()]*)\)")
_ASCII_RUN = re.compile(r"[a-z]+")
# Characters that re.IGNORECASE matches to an ASCII letter but whose casefold() holds no such letter
# (dotless i, dotted capital I folds to "i" + a combining dot). A text holding one is never gated.
UNGATEABLE = frozenset("ıİſ")


def expand(phrase: str) -> list[str]:
    """All the plain phrases a notation stands for: ``(a|b|)c`` -> ["ac", "bc", "c"]."""
    match = _GROUP.search(phrase)
    if not match:
        return [" ".join(phrase.split())] if phrase.strip() else []
    head, tail = phrase[:match.start()], phrase[match.end():]
    out: list[str] = []
    for option in match.group(1).split("|"):
        out.extend(expand(head + option + tail))
    return out


def _plain(char: str) -> str:
    return unicodedata.normalize("NFKD", char)[0]


def _char_pattern(char: str) -> str:
    if char == " ":
        return r"[\s\-‐‑]+"
    if char == "-":
        return r"[\s\-‐‑]*"
    if char in "'’":
        return "['’]"
    plain = _plain(char)
    if plain != char and plain.isascii():
        return f"[{re.escape(char)}{plain}]"
    return re.escape(char)


def _anchor(phrase: str) -> str:
    runs = _ASCII_RUN.findall(phrase.casefold())
    if not runs:
        raise ValueError(f"phrase without plain letters cannot be gated: {phrase!r}")
    return max(runs, key=len)


def fold(text: str) -> str | None:
    """The text as the pre-test sees it (case-folded), or None when it holds a character the pre-test
    cannot judge (then the regex always runs)."""
    if not text.isascii() and not UNGATEABLE.isdisjoint(text):
        return None
    return text.casefold()


def index_needles(phrases: PhraseSet) -> tuple[str, ...]:
    """The needles of a phrase set's pre-test for a `TextIndex` search (which lower-cases, not folds): its
    anchors, and the characters the pre-test cannot judge (a text holding one is always examined)."""
    return phrases.anchors + ("ı", "ſ", "i̇")


class PhraseSet:
    """A list of phrases (with the notation above) as one regex alternation and its generated pre-test."""

    def __init__(self, phrases: Iterable[str]) -> None:
        expanded: set[str] = set()
        for phrase in phrases:
            expanded.update(p for p in expand(phrase) if p)
        if not expanded:
            raise ValueError("empty phrase list")
        self.phrases: tuple[str, ...] = tuple(sorted(expanded, key=lambda p: (-len(p), p)))
        # A phrase needs no anchor of its own when one of its plain runs already holds a kept (shorter) anchor.
        kept: list[str] = []
        for phrase in sorted(self.phrases, key=lambda p: len(_anchor(p))):
            runs = _ASCII_RUN.findall(phrase.casefold())
            if not any(k in run for k in kept for run in runs):
                kept.append(_anchor(phrase))
        self.anchors: tuple[str, ...] = tuple(kept)

    @cached_property
    def alternation(self) -> str:
        """Regex source matching any one phrase (longest first), to be placed inside a larger pattern."""
        return "|".join("".join(_char_pattern(c) for c in p) for p in self.phrases)

    def possible(self, text: str) -> bool:
        """False only when no phrase can occur in the text."""
        folded = fold(text)
        if folded is None:
            return True
        for anchor in self.anchors:  # a plain loop: cheaper than any() over a generator
            if anchor in folded:
                return True
        return False


class GatedPattern:
    """A regex built around a PhraseSet (``template`` holds ``{phrases}``), searched only when the
    generated pre-test says a phrase may occur. Same answers as the regex alone."""

    def __init__(self, phrases: PhraseSet | Iterable[str], template: str = r"(?<!\w)(?:{phrases})(?!\w)",
                 flags: int = re.I) -> None:
        self.phrases = phrases if isinstance(phrases, PhraseSet) else PhraseSet(phrases)
        self.pattern = re.compile(template.replace("{phrases}", self.phrases.alternation), flags | re.I)

    def possible(self, text: str) -> bool:
        return self.phrases.possible(text)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.search(text, pos) if self.phrases.possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.phrases.possible(text) else iter(())


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """The regex of a phrase list written as its notation is, groups kept: the same phrases as
    ``PhraseSet(phrases).alternation`` (the cartesian expansion, thousands of branches for a few lines of
    data) in a pattern many times shorter and faster. The pre-test stays the PhraseSet's."""
    if not phrases:
        raise ValueError("empty phrase list: its pattern would match everywhere")
    out = []
    for phrase in sorted(phrases, key=len, reverse=True):
        parts = []
        for char in " ".join(phrase.split()):
            parts.append({"(": "(?:", ")": ")", "|": "|"}.get(char) or _char_pattern(char))
        out.append("".join(parts))
    return "|".join(out)
