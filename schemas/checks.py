"""The check catalogue (``/v1/checks``)."""

from __future__ import annotations

from marshmallow import Schema, fields


class CheckMetaSchema(Schema):
    id = fields.String(required=True)
    category = fields.String(required=True)
    weight = fields.Float(required=True)
    title = fields.String(required=True)
    how_to_fix = fields.String(required=True)
    health_only = fields.Boolean(required=True)
    rule = fields.String(allow_none=True, metadata={
        "description": "the law or text the check comes from (compliance checks), else null"})


class CatalogueSchema(Schema):
    rules_version = fields.String(required=True)
    category_weights = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    lang = fields.String(metadata={"description": "language of the titles and how-to-fix texts"})
    checks = fields.List(fields.Nested(CheckMetaSchema), required=True)
