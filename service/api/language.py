"""The reader's language: ``?lang=`` first, else ``Accept-Language``, else ``HEALTHGEO_LANG``, else English."""

from __future__ import annotations

import os

from flask import current_app, has_app_context, has_request_context, request

from scoring.i18n import DEFAULT_LANGUAGE, LANGUAGES, supported_language

__all__ = ["default_language", "request_language", "vary_headers"]


def default_language() -> str:
    """The configured default (``HEALTHGEO_LANG``): the app's setting inside the API, the environment elsewhere."""
    if has_app_context():
        configured = (current_app.config.get("HEALTHGEO") or {}).get("LANG")
        if configured:
            return configured
    return supported_language(os.environ.get("HEALTHGEO_LANG") or DEFAULT_LANGUAGE)


def request_language(explicit: str | None = None) -> str:
    """``explicit`` (the ``lang`` query parameter) when given, unsupported values meaning English; else the
    best of ``Accept-Language``; else the configured default."""
    if explicit:
        return supported_language(explicit)
    fallback = default_language()
    if not has_request_context():
        return fallback
    return request.accept_languages.best_match(LANGUAGES, default=fallback) or fallback


def vary_headers(headers: dict[str, str], explicit: str | None) -> dict[str, str]:
    """Caches must key on Accept-Language when the answer's language came from it."""
    if not explicit:
        headers = {**headers, "Vary": "Accept-Language"}
    return headers
