"""RFC 9457 problem documents (``application/problem+json``)."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class FieldErrorSchema(Schema):
    location = fields.String(required=True, metadata={"description": "body, query, path or header"})
    field = fields.String(required=True, metadata={"description": "the field's name (dotted for nested fields)"})
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """A problem document; extension members (``request_id``, ``code``, ...) may follow."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"description": "problem type URI (about:blank for plain HTTP "
                                                                 "errors)"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(allow_none=True, metadata={"description": "the request path"})
    request_id = fields.String(metadata={"description": "also sent as the X-Request-ID header"})
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={"description": "one entry per invalid field"})
    code = fields.String(metadata={"description": "fetch error code, for URL audits that could not fetch the page"})
