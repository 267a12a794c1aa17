"""The service's own messages to API clients (problem titles and details), in English and French, from data.

``service/messages/{en,fr}.json``: ``{key: {"title": ..., "detail": template}}``; templates use
``str.format`` placeholders, the same in every language (tests/test_messages.py checks it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scoring.i18n import format_message

__all__ = ["LANGUAGES", "Phrase", "catalogue", "message", "text"]

LANGUAGES = ("en", "fr")
_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Phrase:
    """A sentence of the catalogue given as a parameter of another, rendered in that one's language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return text(self.key, lang, **self.params)


def _rendered(params: dict[str, Any], lang: str) -> dict[str, Any]:
    return {name: value.render(lang) if isinstance(value, Phrase) else value for name, value in params.items()}


@cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    return json.loads((_HERE / f"{lang if lang in LANGUAGES else 'en'}.json").read_text(encoding="utf-8"))


def message(key: str, lang: str = "en", **params: Any) -> tuple[str, str]:
    """``(title, detail)`` of ``key`` in ``lang`` (English for any other language); numbers, dates and
    plurals in that language's conventions (the engine's formatter)."""
    lang = lang if lang in LANGUAGES else "en"
    entry = catalogue(lang).get(key) or catalogue("en")[key]
    params = _rendered(params, lang)
    return format_message(entry["title"], params, lang), format_message(entry["detail"], params, lang)


def text(key: str, lang: str = "en", **params: Any) -> str:
    """A sentence of the catalogue that is not a whole problem (a reason inside one)."""
    lang = lang if lang in LANGUAGES else "en"
    template = catalogue(lang).get(key) or catalogue("en")[key]
    return format_message(template, _rendered(params, lang), lang)

