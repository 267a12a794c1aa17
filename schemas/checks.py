"""The check catalogue (``/v1/checks``)."""

from __future__ import annotations

from marshmallow import Schema, fields


class ThresholdSchema(Schema):
    value = fields.Float(required=True, metadata={"description": "the number the check decides by"})
    unit = fields.String(allow_none=True, required=True,
                         metadata={"description": "words, characters, days...; null for a fraction (0.25 = 25%)"})
    reason = fields.String(required=True, metadata={"description": "why this value, and its source"})


class CheckMetaSchema(Schema):
    id = fields.String(required=True)
    category = fields.String(required=True)
    weight = fields.Float(required=True)
    title = fields.String(required=True)
    how_to_fix = fields.String(required=True)
    health_only = fields.Boolean(required=True)
    reads = fields.List(fields.String(), required=True,
                        metadata={"description": "the facts (and context parts: page_node, data, page) it reads"})
    thresholds = fields.Dict(keys=fields.String(), values=fields.Nested(ThresholdSchema), required=True,
                             metadata={"description": "every number that decides its outcome, by name"})
    rule = fields.String(allow_none=True, metadata={
        "description": "the law or text the check comes from (compliance checks), else null"})


class CatalogueSchema(Schema):
    rules_version = fields.String(required=True)
    category_weights = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    lang = fields.String(metadata={"description": "language of the titles and how-to-fix texts"})
    checks = fields.List(fields.Nested(CheckMetaSchema), required=True)
