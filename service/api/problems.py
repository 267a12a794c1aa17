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

__all__ = ["ApiError", "PROBLEM_TYPE", "field_errors", "invalid_fields", "localized_problem", "problem", "problem_of",
           "problem_text", "register_error_handlers"]

log = logging.getLogger("healthgeo.api")

PROBLEM_MIME = "application/problem+json"
PROBLEM_TYPE = "tag:healthgeo,2026:problem/"

# Headers of a werkzeug/limiter exception that are worth keeping on the problem response.
_KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiError(Exception):
    """Raised by views and helpers; rendered as a problem document.

    ``key`` names the title and detail in ``service/messages`` (filled with ``params``), rendered in the
    reader's language when the problem is answered; ``detail``/``title`` are only for texts given whole.
    """

    def __init__(self, status: int, slug: str | None = None, detail: str | None = None, *,
                 title: str | None = None, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, key: str | None = None,
                 params: dict[str, Any] | None = None, lang: str | None = None, **extra: Any):
        super().__init__(detail or key or slug or str(status))
        self.status = status
        self.slug = slug
        self._detail = detail
        self.title = title
        self.errors = errors
        self.headers = headers or {}
        self.key = key
        self.params = params or {}
        self.lang = lang
        self.extra = extra

    @property
    def detail(self) -> str | None:
        """The detail given whole, else the catalogue's in English (logs and batch records; answers to a client
        are rendered in the reader's language)."""
        if self._detail is None and self.key is not None:
            from ..messages import message

            return message(self.key, "en", **{"status": self.status, **self.params})[1]
        return self._detail


def problem_text(key: str, lang: str, **params: Any) -> str:
    """A problem sentence of ``service/messages/<lang>.json`` (English when the language lacks it)."""
    from ..messages import text

    return text(key, lang, **params)


def localized_problem(status: int, slug: str, lang: str | None = None, *, key: str | None = None,
                      errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
                      extra: dict[str, Any] | None = None, **params: Any) -> ApiError:
    """An :class:`ApiError` whose title and detail come from ``service/messages`` (``key``, default ``slug``),
    in ``lang`` or, by default, the request's language (``?lang=``, ``Accept-Language``, ``HEALTHGEO_LANG``)."""
    return ApiError(status, slug, key=key or slug, params=params, lang=lang, errors=errors, headers=headers,
                    **(extra or {}))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _reader_language() -> str:
    from .language import request_language

    return request_language(request.args.get("lang") if request else None)


def _status_key(status: int) -> str:
    from ..messages import catalogue

    return f"http-{status}" if f"http-{status}" in catalogue("en") else "http-error"


def problem(status: int, slug: str | None = None, detail: str | None = None, *, title: str | None = None,
            errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None,
            key: str | None = None, params: dict[str, Any] | None = None, lang: str | None = None,
            **extra: Any) -> Response:
    """The problem response; its title and detail from ``key`` in the reader's language (a status-wide text
    when neither a key nor a detail is given)."""
    from ..messages import message

    lang = lang or _reader_language()
    if key is None and detail is None:
        key = _status_key(status)
    if key is not None:
        title, detail = message(key, lang, **{"status": status, **(params or {})})
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
        body["errors"] = [_field_error(e, lang) for e in errors]
    for name, value in extra.items():
        if value is not None and name not in body:
            body[name] = value
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_MIME)
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    resp.headers["Content-Language"] = lang
    return resp


def _field_error(error: dict[str, Any], lang: str) -> dict[str, Any]:
    """A field error in the reader's language: by its catalogue ``_key`` when it has one (the English message
    stays whole for English readers), else by matching the English sentence (marshmallow's, our validators')."""
    from ..messages import field_message, text

    error = dict(error)
    key = error.pop("_key", None)
    if "message" in error:
        error["message"] = text(key, lang) if key and lang != "en" else field_message(error["message"], lang)
    return error


def problem_of(error: ApiError) -> Response:
    """The response of a raised :class:`ApiError`."""
    return problem(error.status, error.slug, error._detail, title=error.title, errors=error.errors,
                   headers=error.headers, key=error.key, params=error.params, lang=error.lang, **error.extra)


def invalid_fields(errors: list[dict[str, Any]]) -> ApiError:
    """A 422 naming the invalid fields (each with its message in ``errors``)."""
    return localized_problem(422, "invalid-fields", errors=errors,
                             fields=", ".join(dict.fromkeys(str(x["field"]) for x in errors)))


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
    if status == 422 and errors:
        return problem_of(invalid_fields(errors))
    slug = key = None
    params: dict[str, Any] = {}
    if status == 429:
        from flask import current_app

        slug = key = "rate-limited"
        params["limit"] = e.description if isinstance(e.description, str) else ""
        limiter = current_app.extensions.get("healthgeo.limiter")
        retry = limiter.retry_after() if limiter is not None else None
        headers["Retry-After"] = str(retry or headers.get("Retry-After") or 1)
    elif status == 413:
        from flask import current_app

        cap = (current_app.config.get("HEALTHGEO") or {}).get("MAX_BODY")
        slug = "body-too-large"
        key, params["limit"] = ("body-too-large", cap) if cap else ("http-413", None)
    elif status == 405:
        key, params = "method-not-allowed", {"method": request.method, "allowed": headers.get("Allow", "")}
    elif status == 404:
        key, params = "not-found", {"path": request.path}
    return problem(status, slug, errors=errors, headers=headers, key=key, params=params)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):
        return problem_of(e)

    @app.errorhandler(ValidationError)
    def _validation_error(e: ValidationError):
        return problem_of(invalid_fields(field_errors(e.messages)))

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        return _from_http_exception(e)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        if isinstance(e, HTTPException):  # pragma: no cover - routed above
            return _from_http_exception(e)
        log.exception("unhandled error", extra={"event": "error", "error_type": type(e).__name__})
        return problem(500, "internal-error", key="internal-error")
