"""JSON request bodies: one reading for every route (400 malformed, 422 not an object or invalid fields)."""

from __future__ import annotations

import json
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from ..fetch import parse_content_type
from ..problems import ApiError, field_errors

__all__ = ["is_json", "load_json"]


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
