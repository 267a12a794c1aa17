"""A phrase list searched only near its anchors: for page-wide texts that most phrases never occur in.

``GatedPattern`` runs its regex over the whole text as soon as one anchor occurs, and its regex is the
expanded alternation (hundreds of branches tried at every character: 25 ms on a 32,000-character page for the
professional gates). Here the regex is the compact one of ``phrases.phrase_pattern`` and it runs only in
windows around each occurrence of an anchor: every match holds an anchor (scoring.phrases), and no match is
longer than the longest phrase allows, so the windows hold every match and the answers are the full regex's
(tests/test_audience.py and tests/test_gates.py prove it on random text and on the corpus). Used by the
audience, compliance and disclosure facts.

One difference from the notation: a space between two words matches a run of at most ``MAX_SEPARATORS``
spaces or hyphens (not any run), so a match's longest length is known without reading the whole text for its
longest run of separators (a regex scan that cost more than the searches).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .phrases import UNGATEABLE, PhraseSet, phrase_pattern

MAX_SEPARATORS = 8
# Past this many anchor occurrences the windows cover most of the text: one pass of the regex is cheaper than
# building them (a text made of the list's own words)
MAX_WINDOWS = 2000
_RUN, _OPTIONAL_RUN = r"[\s\-‐‑]+", r"[\s\-‐‑]*"  # what phrases' spaces and hyphens compile to
WORD_TEMPLATE = r"(?<!\w)(?:{phrases})(?!\w)"


class Prepared:
    """A text as the window searches read it, prepared once for every list searched in it."""

    __slots__ = ("folded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # phrases.fold, with the rare letters it refuses looked up by substring (its set test reads every
        # character in Python's hashing: four times the casefold on a long page)
        folded = text.casefold() if text.isascii() or not any(c in text for c in UNGATEABLE) else None
        self.folded = folded if folded is not None and len(folded) == len(text) else None


def prepared(page, part: str) -> Prepared:
    """The page's ``body_text`` or ``main_text`` prepared once a page (kept in ``page.extra``)."""
    key = f"prepared_{part}"
    if key not in page.extra:
        page.extra[key] = Prepared(getattr(page, part))
    return page.extra[key]


class WindowedPattern:
    """A phrase list's compact regex inside ``template`` (which adds at most ``extra`` characters to a match),
    searched in the windows its anchors open."""

    def __init__(self, phrases: Iterable[str], template: str = WORD_TEMPLATE, *, extra: int = 0) -> None:
        raw = tuple(phrases)
        self.phrases = PhraseSet(raw)
        source = phrase_pattern(raw)
        if source.count(_RUN) + source.count(_OPTIONAL_RUN) != sum(" ".join(p.split()).count(" ") + p.count("-")
                                                                  for p in raw):
            raise ValueError("phrase separators no longer compile to the runs this module bounds")
        source = source.replace(_RUN, f"[\\s\\-‐‑]{{1,{MAX_SEPARATORS}}}").replace(
            _OPTIONAL_RUN, f"[\\s\\-‐‑]{{0,{MAX_SEPARATORS}}}")
        self.pattern = re.compile(template.replace("{phrases}", source), re.I)
        # the longest match: each character one, each separator up to MAX_SEPARATORS, plus the template's own
        self.reach = max(len(p) + sum(c in " -" for c in p) * (MAX_SEPARATORS - 1) for p in self.phrases.phrases) \
            + extra

    def possible(self, text: str) -> bool:
        return self.phrases.possible(text)

    def _windows(self, prepared: Prepared) -> list[list[int]] | None:
        """Merged [start, end) windows around the anchors, or None when the text must be searched whole."""
        folded = prepared.folded
        if folded is None:
            return None
        reach = self.reach
        windows = []
        for anchor in self.phrases.anchors:
            pos = folded.find(anchor)
            while pos != -1:
                # one more character each side lets the look-arounds see the text
                windows.append((max(0, pos + len(anchor) - reach - 1), pos + reach + 1))
                if len(windows) > MAX_WINDOWS:
                    return None
                pos = folded.find(anchor, pos + 1)
        windows.sort()
        merged: list[list[int]] = []
        for start, end in windows:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return merged

    def finditer(self, text: str | Prepared) -> Iterator[re.Match[str]]:
        if isinstance(text, str):
            if not self.phrases.possible(text):  # a short text (a link, a block): the pre-test alone
                return
            text = Prepared(text)
        prepared = text
        whole = prepared.text
        windows = self._windows(prepared)
        if windows is None:
            yield from self.pattern.finditer(whole)
            return
        size = len(whole)
        for start, end in windows:
            end = min(end, size)
            pos = start
            while pos <= end:
                match = self.pattern.search(whole, pos, end)
                if match is None:
                    break
                if match.end() == end < size:  # the window's end may have made up the closing look-around
                    real = self.pattern.match(whole, match.start())
                    if real is None:
                        pos = match.start() + 1
                        continue
                    match = real
                yield match
                pos = match.end() if match.end() > match.start() else match.start() + 1

    def search(self, text: str | Prepared) -> re.Match[str] | None:
        return next(self.finditer(text), None)
