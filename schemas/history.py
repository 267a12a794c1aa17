"""Progress over time: page history, comparisons of audits and of batches."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from .audits import URL_FIELD
from .reports import lang_field


class PageHistoryQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    url = fields.String(required=True, **URL_FIELD, metadata={
        "description": "the page: its canonical URL, or the URL it was audited at (either finds it)"})
    lang = lang_field()


class HistoryEntrySchema(Schema):
    id = fields.String(required=True, metadata={"description": "the audit id (its full report expires with the "
                                                                "retention; the history entry lasts longer)"})
    created_at = fields.String(required=True, allow_none=True)
    score = fields.Float(required=True, allow_none=True)
    grade = fields.String(required=True, allow_none=True)
    rules_version = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, allow_none=True, metadata={"description": "the URL audited"})
    compared_to = fields.String(required=True, allow_none=True, metadata={"description": "the audit before it"})
    score_delta = fields.Float(required=True, allow_none=True, metadata={"description": "points since that audit"})


class PageHistorySchema(Schema):
    url = fields.String(required=True, metadata={"description": "the page key the audits are filed under"})
    items = fields.List(fields.Nested(HistoryEntrySchema), required=True, metadata={"description": "newest first"})


class CompareQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    # "with" is a Python keyword: the field is read from the query parameter ``with``
    other = fields.String(required=True, data_key="with", validate=validate.Length(min=1, max=64),
                          metadata={"description": "the batch to compare with (the earlier one, usually)"})
    lang = lang_field()


class SiteComparisonSchema(Schema):
    batch_id = fields.String(required=True)
    compared_to = fields.String(required=True, allow_none=True)
    compared_at = fields.String(allow_none=True)
    pages = fields.Dict(required=True, metadata={"description": "new, gone (URLs), improved, regressed "
                                                                "({url, before, after, delta})"})
    checks = fields.List(fields.Dict(), required=True, metadata={"description": "failing-page counts that moved"})
    histogram = fields.Dict(required=True, metadata={"description": "pages per 10-point bin, before and after"})
    rules_changed = fields.Boolean(required=True)
    lines = fields.List(fields.String(), metadata={"description": "the comparison in the reader's language"})
