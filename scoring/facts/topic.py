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


def health_signal(text: str, lang: str | None, types: list[str], *, words: list[str] | None = None) -> dict:
    """{is_health, reason, density}: density is the share of words that start with a health stem.
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
        return {"is_health": True, "reason": f"medical markup: {', '.join(medical)}", "density": density}
    blocking = sorted(typeset.intersection(data["non_health_types"]))
    if blocking:
        return {"is_health": False, "reason": f"page type: {', '.join(blocking)}", "density": density}
    is_health = density >= 0.015 and total >= 25
    reason = f"health vocabulary density {density:.1%}" + (" (threshold 1.5%)" if not is_health else "")
    return {"is_health": is_health, "reason": reason, "density": density}
