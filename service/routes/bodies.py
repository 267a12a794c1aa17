"""JSON in and out: one reading of request bodies for every route (400 malformed, 422 not an object or invalid
fields), one way to write a JSON response."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from marshmallow import Schema, ValidationError

from ..fetch import parse_content_type
from ..language import vary_headers
from ..problems import ApiError, field_errors

__all__ = ["is_json", "json_response", "load_json", "report_response"]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """UTF-8 JSON with its keys in the order written (Flask's JSON provider would sort them)."""
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json",
                    headers=headers or {})


def report_response(html: str, lang_param: str | None) -> Response:
    """A rendered HTML report: its own inline style and script allowed by hash, nothing else; cached briefly."""
    from ..reports import CONTENT_SECURITY_POLICY

    headers = {"Cache-Control": "private, max-age=60", "Content-Security-Policy": CONTENT_SECURITY_POLICY,
               "X-Content-Type-Options": "nosniff"}
    return Response(html, status=200, mimetype="text/html", headers=vary_headers(headers, lang_param))


def is_json(mime: str | None) -> bool:
    return mime == "application/json" or bool(mime and mime.startswith("application/") and mime.endswith("+json"))


def load_json(schema: Schema, shape: str) -> dict[str, Any]:
    """The request's JSON object validated by ``schema``; ``shape`` names the expected object in messages."""
    _, charset = parse_content_type(request.headers.get("Content-Type"))
    raw = request.get_data(cache=False)  # 413 past MAX_CONTENT_LENGTH
    try:
        data = json.loads(raw.decode(charset or "utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, LookupError, ValueError) as e:
        raise ApiError(400, "malformed-json", f"The body is not valid JSON: {e}", title="Malformed JSON") from None
    if not isinstance(data, dict):
        raise ApiError(422, "invalid-fields", f"The body must be a JSON object: {shape}.",
                       errors=[{"location": "body", "field": "(body)", "message": "expected a JSON object"}])
    try:
        return schema.load(data)
    except ValidationError as e:
        errors = field_errors(e.messages, "body")
        raise ApiError(422, "invalid-fields", "Some fields are invalid: " + ", ".join(
            dict.fromkeys(x["field"] for x in errors)), errors=errors) from None
