"""Language data: the words and phrases of each language, one JSON file per topic and language.

Files live in ``scoring/lang/<code>/<topic>.json`` (``en``, ``fr``, ``de``, ``es``...). Each file is an
object of lists (phrases, words) or mappings; code asks for one key across every language it knows, so
adding a language is adding a folder. Patterns compiled from these lists use ``scoring.phrases``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("lang")


@cache
def languages() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in DATA.iterdir() if p.is_dir()))


@cache
def load(topic: str, lang: str) -> dict[str, Any]:
    """One language's file for a topic ({} when that language has none)."""
    path = DATA / lang / f"{topic}.json"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def words(topic: str, key: str, langs: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """A list key of a topic, across languages (in language order, without repeats)."""
    seen: dict[str, None] = {}
    for lang in langs or languages():
        for item in load(topic, lang).get(key, ()):
            seen.setdefault(item, None)
    return tuple(seen)


def mapping(topic: str, key: str, langs: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A mapping key of a topic, merged across languages (the first language to give a key wins)."""
    merged: dict[str, Any] = {}
    for lang in langs or languages():
        for k, v in load(topic, lang).get(key, {}).items():
            merged.setdefault(k, v)
    return merged
