"""The service's own messages to API clients (problem titles and details), in English and French, from data.

``service/messages/{en,fr}.json``: ``{key: {"title": ..., "detail": template}}``; templates use
``str.format`` placeholders, the same in every language (tests/test_messages.py checks it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["LANGUAGES", "catalogue", "localized_error", "message"]

LANGUAGES = ("en", "fr")
_HERE = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, dict[str, str]]:
    return json.loads((_HERE / f"{lang if lang in LANGUAGES else 'en'}.json").read_text(encoding="utf-8"))


def message(key: str, lang: str = "en", **params: Any) -> tuple[str, str]:
    """``(title, detail)`` of ``key`` in ``lang`` (English for any other language)."""
    entry = catalogue(lang).get(key) or catalogue("en")[key]
    shown = {name: _number(value, lang) if isinstance(value, float) else value for name, value in params.items()}
    return entry["title"], entry["detail"].format(**shown)


def _number(value: float, lang: str) -> str:
    """``20`` rather than ``20.0``; a decimal comma in French."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def localized_error(status: int, slug: str, key: str, *, headers: dict[str, str] | None = None,
                    **params: Any):
    """An :class:`service.problems.ApiError` whose title and detail are in the request's language."""
    from flask import has_request_context, request

    from ..language import request_language
    from ..problems import ApiError

    lang = request_language(request.args.get("lang")) if has_request_context() else "en"
    title, detail = message(key, lang, **params)
    return ApiError(status, slug, detail, title=title, headers=headers)
