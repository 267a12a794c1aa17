"""The service's own messages to API clients (problem titles and details), in English and French, from data.

``service/messages/{en,fr}.json``: ``{key: {"title": ..., "detail": template}}``; templates use
``str.format`` placeholders, the same in every language (tests/test_messages.py checks it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scoring.i18n import format_message

__all__ = ["LANGUAGES", "Phrase", "catalogue", "field_message", "localized_records", "message",
           "page_error_message", "template_pattern", "text"]

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


def template_pattern(template: str) -> re.Pattern[str]:
    """A template's sentence as a pattern matching the whole of a filled-in one and giving back its parameters."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex + r"\Z", re.S)


@cache
def _english_patterns() -> list[tuple[re.Pattern[str], str]]:
    """The English sentences of field and page errors as patterns that give back their parameters."""
    return [(template_pattern(template), key) for key, template in catalogue("en").items()
            if key.startswith(("field.", "page-error.")) and isinstance(template, str)]


def field_message(message: str, lang: str) -> str:
    """A field error's message (marshmallow's or our validators' English) in ``lang``; a message the catalogue
    does not know stays as it is."""
    if lang not in LANGUAGES or lang == "en" or not isinstance(message, str):
        return message
    for pattern, key in _english_patterns():
        found = pattern.match(message)
        if found:
            return text(key, lang, **found.groupdict())
    return message


def page_error_message(error: dict[str, Any] | None, lang: str) -> str | None:
    """Why a batch page failed, in ``lang``, from its code (the stored English message when the code is not in
    the catalogue)."""
    if not error:
        return None
    key = f"page-error.{error.get('code')}"
    if key in catalogue("en"):
        return text(key, lang, status=error.get("status") or "?")
    return error.get("message")


def localized_records(records, lang: str):
    """Batch page records (or summary errors) whose error message speaks ``lang`` (new dicts)."""
    for record in records:
        error = record.get("error")
        if isinstance(error, dict):
            record = {**record, "error": {**error, "message": page_error_message(error, lang)}}
        elif "code" in record and "message" in record and "url" in record:  # a summary's error entry
            record = {**record, "message": page_error_message(record, lang)}
        yield record
