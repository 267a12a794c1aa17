"""The reader's language for an HTTP request: ``?lang=`` first, else ``Accept-Language``, else English."""

from __future__ import annotations

from flask import request

from scoring.i18n import DEFAULT_LANGUAGE, LANGUAGES, supported_language


def request_language(explicit: str | None = None) -> str:
    """``explicit`` (the ``lang`` query parameter) when given, unsupported values meaning English."""
    if explicit:
        return supported_language(explicit)
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def vary_headers(headers: dict[str, str], explicit: str | None) -> dict[str, str]:
    """Caches must key on Accept-Language when the answer's language came from it."""
    if not explicit:
        headers = {**headers, "Vary": "Accept-Language"}
    return headers
