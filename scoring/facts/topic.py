"""Is this health content? Markup types first, then the density of health vocabulary in the article."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from importlib import resources
from itertools import compress
from operator import itemgetter

from scoring.page.model import WORD_SAMPLE
from scoring.page.text import letter_words

_FIRST_THREE = itemgetter(slice(3))


@cache
def terms() -> dict:
    return json.loads(resources.files("scoring").joinpath("data/health_terms.json").read_text("utf-8"))


@cache
def _stems_by_prefix(lang: str) -> dict[str, tuple[str, ...]]:
    """Stems grouped by their first three letters: a word is checked against a handful, not all of them."""
    stems = terms()["health_stems"].get(lang) or terms()["health_stems"]["en"]
    groups: dict[str, list[str]] = {}
    for stem in stems:
        if " " not in stem:
            groups.setdefault(stem[:3], []).append(stem)
    return {key: tuple(values) for key, values in groups.items()}


def _health_words(words: list[str], lang: str) -> int:
    groups = _stems_by_prefix(lang)
    counts = Counter(words)  # each distinct word once: a page repeats its vocabulary
    # The stems sharing each word's first three letters, looked up in C for every word: most have none.
    candidates = list(map(groups.get, map(_FIRST_THREE, counts)))
    with_candidates = compress(zip(counts, candidates, strict=True), candidates)
    return sum(counts[word] for word, stems in with_candidates if word.startswith(stems))


MIN_DENSITY = 0.015  # share of health words from which an untyped page is health content
MIN_WORDS = 25  # fewer words say nothing either way


def health_signal(text: str, lang: str | None, types: list[str], *, words: list[str] | None = None) -> dict:
    """{is_health, reason_code, reason_params, density}: density is the share of words that start with a health
    stem; the reason is a code of scoring/messages "topic" (``scoring.i18n.topic_reason`` words it).
    `words` is `letter_words(text, WORD_SAMPLE)` when the caller already has it (`Page.main_words`)."""
    data = terms()
    typeset = set(types)
    medical = sorted(typeset.intersection(data["health_types"]))
    if words is None:
        words = letter_words(text, WORD_SAMPLE)
    total = len(words) or 1
    hits = _health_words(words, lang or "en")
    density = round(hits / total, 4)
    if medical:
        return _signal(True, "medical-markup", {"types": medical}, density)
    blocking = sorted(typeset.intersection(data["non_health_types"]))
    if blocking:
        return _signal(False, "page-type", {"types": blocking}, density)
    is_health = density >= MIN_DENSITY and total >= MIN_WORDS
    code = "vocabulary-density" if is_health else "vocabulary-density-low"
    return _signal(is_health, code, {"density": density, "threshold": MIN_DENSITY}, density)


def _signal(is_health: bool, code: str, params: dict, density: float) -> dict:
    return {"is_health": is_health, "reason_code": code, "reason_params": params, "density": density}
