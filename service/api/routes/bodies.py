"""JSON in and out: one reading of request bodies for every route (400 malformed or nested too deeply, 422 not an
object or invalid fields), one way to write a JSON response."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, request
from marshmallow import Schema, ValidationError

from ...net.body import parse_content_type
from ..language import vary_headers
from ..problems import field_errors, invalid_fields, localized_problem

__all__ = ["MAX_JSON_DEPTH", "is_json", "json_depth_exceeds", "json_response", "load_json", "report_response"]

MAX_JSON_DEPTH = 64  # our requests nest 3 levels


def json_depth_exceeds(data: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether parsed JSON nests arrays and objects deeper than ``limit`` (level by level: no recursion).

    One step per value inside an array or object, fewer than parsing them took; a string full of braces is one.
    """
    level, depth = [data], 1
    while depth <= limit:
        deeper, empty_below = [], False
        for node in level:
            for child in node.values() if type(node) is dict else node:
                if type(child) is list or type(child) is dict:
                    if child:
                        deeper.append(child)
                    else:
                        empty_below = True
        if not deeper:
            return empty_below and depth + 1 > limit
        level, depth = deeper, depth + 1
    return True


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """UTF-8 JSON with its keys in the order written (Flask's JSON provider would sort them)."""
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json",
                    headers=headers or {})


def report_response(html: str, lang_param: str | None) -> Response:
    """A rendered HTML report: its own inline style and script allowed by hash, nothing else; cached briefly."""
    from ...reports import CONTENT_SECURITY_POLICY

    headers = {"Cache-Control": "private, max-age=60", "Content-Security-Policy": CONTENT_SECURITY_POLICY,
               "X-Content-Type-Options": "nosniff"}
    return Response(html, status=200, mimetype="text/html", headers=vary_headers(headers, lang_param))


def is_json(mime: str | None) -> bool:
    return mime == "application/json" or bool(mime and mime.startswith("application/") and mime.endswith("+json"))


def load_json(schema: Schema, shape: str) -> dict[str, Any]:
    """The request's JSON object validated by ``schema``; ``shape`` names the expected object in messages."""
    _, charset = parse_content_type(request.headers.get("Content-Type"))
    raw = request.get_data(cache=False)  # 413 past the cap, however the body arrives (service.body_cap)
    try:
        data = json.loads(raw.decode(charset or "utf-8")) if raw.strip() else None
        too_deep = isinstance(data, dict | list) and json_depth_exceeds(data)
    except RecursionError:  # the parser gave up past the interpreter's recursion limit (about 1,000 levels)
        too_deep = True
    except json.JSONDecodeError as e:
        raise localized_problem(400, "malformed-json", line=e.lineno, column=e.colno) from None
    except (UnicodeDecodeError, LookupError, ValueError):
        raise localized_problem(400, "malformed-json", key="malformed-json.encoding",
                                charset=charset or "utf-8") from None
    if too_deep:
        raise localized_problem(400, "json-too-deep", key="json_too_deep", limit=MAX_JSON_DEPTH)
    if not isinstance(data, dict):
        raise localized_problem(422, "invalid-fields", key="invalid-fields.not-object", shape=shape,
                                errors=[{"location": "body", "field": "(body)", "message": "expected a JSON object"}])
    try:
        return schema.load(data)
    except ValidationError as e:
        raise invalid_fields(field_errors(e.messages, "body")) from None
