"""JSON in and out: one reading of request bodies for every route (400 malformed, 422 not an object or invalid
fields), one way to write a JSON response."""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from flask import Response, request
from marshmallow import Schema, ValidationError

from ..fetch import parse_content_type
from ..language import vary_headers
from ..problems import ApiError, field_errors

__all__ = ["MAX_JSON_DEPTH", "is_json", "json_depth_exceeds", "json_response", "load_json", "report_response"]

MAX_JSON_DEPTH = 64  # our requests nest 3 levels; Python's parser would recurse until RecursionError (a 500)
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = [0] * 256  # +1 for an opening bracket, -1 for a closing one
for _b in b"[{":
    _DEPTH_STEP[_b] = 1
for _b in b"]}":
    _DEPTH_STEP[_b] = -1


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text ``raw`` nests arrays and objects deeper than ``limit``, in linear time (C loops).

    Fewer brackets than the limit cannot nest deeper (the usual case, checked by counting); else strings are
    removed (their brackets are text) and the running depth over the remaining brackets is taken.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) > limit


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
    raw = request.get_data(cache=False)  # 413 past the cap, however the body arrives (service.body_cap)
    try:
        text = raw.decode(charset or "utf-8")
        utf8 = raw if (charset or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8") else text.encode()
        if json_depth_exceeds(utf8):
            from ..messages import localized_error

            raise localized_error(400, "json-too-deep", "json_too_deep", limit=MAX_JSON_DEPTH)
        data = json.loads(text) if text.strip() else None
    except (UnicodeError, LookupError, ValueError) as e:
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
