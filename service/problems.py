"""Every error as an RFC 9457 problem document (``application/problem+json``).

Members: ``type``, ``title``, ``status``, ``detail``, ``instance`` (the request path), plus
``request_id`` and, for invalid input, ``errors``: ``[{location, field, message}]``.  Plain
HTTP errors use ``type: about:blank`` with the status phrase as title; Healthgeo's own
problems use ``tag:healthgeo,2026:problem/<slug>`` URIs (listed in docs/configuration.md).
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, g, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

__all__ = ["ApiError", "PROBLEM_TYPE", "field_errors", "localized_problem", "problem", "problem_text",
           "register_error_handlers"]

log = logging.getLogger("healthgeo.api")

PROBLEM_MIME = "application/problem+json"
PROBLEM_TYPE = "tag:healthgeo,2026:problem/"

# Headers of a werkzeug/limiter exception that are worth keeping on the problem response.
_KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiError(Exception):
    """Raised by views and helpers; rendered as a problem document."""

    def __init__(self, status: int, slug: str | None = None, detail: str | None = None, *,
                 title: str | None = None, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail or slug or str(status))
        self.status = status
        self.slug = slug
        self.detail = detail
        self.title = title
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def problem_text(key: str, lang: str, **params: Any) -> str:
    """A problem sentence of ``service/messages/<lang>.json`` (English when the language lacks it)."""
    from .messages import text

    return text(key, lang, **params)


def localized_problem(status: int, slug: str, lang: str | None = None, *, errors: list[dict[str, Any]] | None = None,
                      headers: dict[str, str] | None = None, **params: Any) -> ApiError:
    """An :class:`ApiError` whose title and detail come from ``service/messages`` in the reader's language.

    ``lang`` defaults to the request's (``?lang=``, else ``Accept-Language``).
    """
    from .messages import message

    if lang is None:
        from .language import request_language

        lang = request_language(request.args.get("lang"))
    title, detail = message(slug, lang, **params)
    return ApiError(status, slug, detail, title=title, errors=errors,
                    headers={**(headers or {}), "Content-Language": lang})


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, slug: str | None = None, detail: str | None = None, *, title: str | None = None,
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + slug if slug else "about:blank",
        "title": title or _phrase(status),
        "status": status,
        "detail": detail or _phrase(status),
        "instance": request.path if request else None,
    }
    rid = g.get("request_id") if g else None
    if rid:
        body["request_id"] = rid
    if errors:
        body["errors"] = errors
    for key, value in extra.items():
        if value is not None and key not in body:
            body[key] = value
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIME)
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def field_errors(messages: Any, location: str = "body", prefix: str = "") -> list[dict[str, Any]]:
    """Flatten marshmallow/webargs messages into ``[{location, field, message}]``."""
    out: list[dict[str, Any]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "(body)"
            out.extend(field_errors(value, location, name))
    elif isinstance(messages, list | tuple):
        if messages and all(isinstance(m, str) for m in messages):
            out.extend({"location": location, "field": prefix or "(body)", "message": m} for m in messages)
        else:
            for item in messages:
                out.extend(field_errors(item, location, prefix))
    else:
        out.append({"location": location, "field": prefix or "(body)", "message": str(messages)})
    return out


def _webargs_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    """webargs (flask-smorest) puts ``{location: {field: [messages]}}`` in ``exc.data['messages']``."""
    messages = data.get("messages") or {}
    out: list[dict[str, Any]] = []
    if isinstance(messages, dict):
        for location, fields in messages.items():
            loc = {"json": "body", "form": "body"}.get(location, location)
            out.extend(field_errors(fields, loc))
    return out


def _from_http_exception(e: HTTPException) -> Response:
    status = e.code or 500
    if status < 400:  # routing redirects (e.g. merged slashes) are not errors: keep werkzeug's answer
        return e.get_response()
    headers = {}
    for name, value in e.get_headers():
        if name in _KEEP_HEADERS:
            headers[name] = value
    errors = None
    data = getattr(e, "data", None)
    if isinstance(data, dict):
        errors = _webargs_errors(data) or None
    detail = e.description if isinstance(e.description, str) else None
    slug = None
    if status == 422 and errors:
        slug, detail = "invalid-fields", "Some fields are invalid: " + ", ".join(
            dict.fromkeys(f"{x['field']}" for x in errors))
    elif status == 429:
        from flask import current_app

        slug = "rate-limited"
        detail = f"Rate limit exceeded ({detail}). Retry after the number of seconds in Retry-After."
        limiter = current_app.extensions.get("healthgeo.limiter")
        retry = limiter.retry_after() if limiter is not None else None
        headers["Retry-After"] = str(retry or headers.get("Retry-After") or 1)
    elif status == 413:
        from flask import current_app

        cap = (current_app.config.get("HEALTHGEO") or {}).get("MAX_BODY")
        slug = "body-too-large"
        detail = f"The request body exceeds the limit of {cap} bytes (HEALTHGEO_MAX_BODY)." if cap else detail
    elif status == 405:
        detail = f"{request.method} is not allowed here; allowed: {headers.get('Allow', '')}."
    elif status == 404:
        detail = f"No resource at {request.path}."
    return problem(status, slug, detail, errors=errors, headers=headers)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):
        return problem(e.status, e.slug, e.detail, title=e.title, errors=e.errors, headers=e.headers, **e.extra)

    @app.errorhandler(ValidationError)
    def _validation_error(e: ValidationError):
        errors = field_errors(e.messages)
        return problem(422, "invalid-fields", "Some fields are invalid: " + ", ".join(
            dict.fromkeys(x["field"] for x in errors)), errors=errors)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        return _from_http_exception(e)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        if isinstance(e, HTTPException):  # pragma: no cover - routed above
            return _from_http_exception(e)
        log.exception("unhandled error", extra={"event": "error", "error_type": type(e).__name__})
        return problem(500, "internal-error", "An unexpected error occurred; quote the request_id when reporting it.")
