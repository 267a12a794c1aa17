"""A check's evidence: one schema per kind, told apart by ``kind`` (the engine's shapes, scoring/evidence.py).

``EvidenceField`` validates and dumps a value by its ``kind``; the OpenAPI document shows the field as a
``oneOf`` of the named kind schemas with ``kind`` as discriminator (service/openapi.py adds them).
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

_NULLABLE_TEXT = {"required": True, "allow_none": True}


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class EvidenceLinkSchema(_Strict):
    url = fields.String(required=True)
    text = fields.String(**_NULLABLE_TEXT, metadata={"description": "the link's text on the page"})
    category = fields.String(**_NULLABLE_TEXT, metadata={
        "description": "a citation kind (doi, pubmed, journal, guideline, government, academic, encyclopedia, "
                       "news, commercial, social, other), or contact, about, privacy, sponsored, or canonical, "
                       "page (the audited URL), og_url, alternate (a language version; text: its hreflang code), "
                       "image"})


class EvidencePersonSchema(_Strict):
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(("author", "reviewer")))
    credentials = fields.List(fields.String(), required=True, metadata={"description": "as shown (MD, Dr...)"})
    url = fields.String(**_NULLABLE_TEXT, metadata={"description": "profile page"})
    source = fields.String(**_NULLABLE_TEXT, metadata={"description": "where it was found (markup, byline, "
                                                                      "meta...)"})
    text = fields.String(**_NULLABLE_TEXT, metadata={"description": "the byline as written on the page"})


class EvidenceDateSchema(_Strict):
    value = fields.String(required=True, metadata={"description": "ISO 8601 date or date-time"})
    type = fields.String(**_NULLABLE_TEXT, validate=validate.OneOf(("published", "updated", "reviewed",
                                                                    "next_review")))
    label = fields.String(**_NULLABLE_TEXT, metadata={"description": "the label the page gives it"})
    text = fields.String(**_NULLABLE_TEXT, metadata={"description": "the sentence that holds it"})


class MarkupFindingSchema(_Strict):
    code = fields.String(required=True)
    severity = fields.String(required=True, validate=validate.OneOf(("error", "warning")))
    message = fields.String(required=True)
    syntax = fields.String(**_NULLABLE_TEXT, metadata={"description": "json-ld, microdata or rdfa"})
    path = fields.String(**_NULLABLE_TEXT, metadata={"description": "where in the graph (Article > author)"})
    type = fields.String(**_NULLABLE_TEXT, metadata={"description": "the node's schema.org type"})
    property = fields.String(**_NULLABLE_TEXT)
    line = fields.Integer(**_NULLABLE_TEXT, metadata={"description": "line of a JSON-LD block"})
    params = fields.Dict(metadata={"description": "the message's parameters, when the finding has them"})
    message_key = fields.String(metadata={"description": "the message's template (scoring/messages), with params"})


class DisagreementSchema(_Strict):
    property = fields.String(required=True)
    markup = fields.List(fields.String(), required=True, metadata={
        "description": "what the markup says; access.server-rendered: the raw HTML; access.bot-responses: the "
                       "crawler's HTTP status"})
    page = fields.List(fields.String(), required=True, metadata={
        "description": "what the page shows; access.server-rendered: the rendered page; access.bot-responses: "
                       "the browser's HTTP status"})
    severity = fields.String(required=True, validate=validate.OneOf(("error", "warning")))
    code = fields.String(required=True)
    message = fields.String(required=True)
    message_key = fields.String(metadata={"description": "the message's template (scoring/messages), with params"})
    source = fields.String(metadata={"description": "consistency: the comparison of markup and page"})
    params = fields.Dict(metadata={"description": "the message's parameters"})


class QuotationSchema(_Strict):
    text = fields.String(required=True)
    speaker = fields.String(**_NULLABLE_TEXT)


class ExcerptSchema(_Strict):
    text = fields.String(required=True)
    label = fields.String(**_NULLABLE_TEXT, metadata={"description": "the label that introduces it"})
    terms = fields.List(fields.String(), required=True, metadata={
        "description": "the words that matter in it (a medicine and a promotional word; heading levels h1, h4)"})


class _Figure(fields.Float):
    """A number dumped as it is (an integer stays an integer)."""

    def _format_num(self, value: Any) -> Any:
        return value if isinstance(value, int | float) and not isinstance(value, bool) else super()._format_num(value)


def _kind(name: str) -> fields.String:
    return fields.String(required=True, validate=validate.Equal(name), metadata={"enum": [name]})


def _list_kind(name: str, item: type[Schema] | fields.Field, doc: str) -> type[Schema]:
    items = fields.List(fields.Nested(item) if isinstance(item, type) else item, required=True)
    return type(f"{name.title()}EvidenceSchema", (_Strict,), {"kind": _kind(name), "items": items, "__doc__": doc})


LinksEvidenceSchema = _list_kind("links", EvidenceLinkSchema, "Links the check found (citations, contact, privacy...).")
PeopleEvidenceSchema = _list_kind("people", EvidencePersonSchema, "Authors and reviewers as the page names them.")
DatesEvidenceSchema = _list_kind("dates", EvidenceDateSchema, "Dates the page shows or marks up.")
MarkupEvidenceSchema = _list_kind("markup", MarkupFindingSchema, "Structured-data findings.")
ComparisonEvidenceSchema = _list_kind("comparison", DisagreementSchema,
                                      "Where the markup says something other than the page; the raw HTML against "
                                      "the rendered page; an AI crawler's answer against a browser's (its verdict "
                                      "as code).")
TextsEvidenceSchema = _list_kind("texts", fields.String(), "Passages of the page (headings, statistics).")
TermsEvidenceSchema = _list_kind("terms", fields.String(), "Identifiers shown as they are (schema.org types "
                                 "and properties, crawlers, robots directives, language codes).")
QuotationsEvidenceSchema = _list_kind("quotations", QuotationSchema, "Quotations and who said them.")
ExcerptsEvidenceSchema = _list_kind("excerpts", ExcerptSchema, "Passages with their label or key words.")


class CountEvidenceSchema(_Strict):
    """A figure and the range the check accepts."""

    kind = _kind("count")
    value = _Figure(required=True)
    unit = fields.String(required=True, metadata={
        "description": "characters, references, subheadings, long_sentence_share (0-1), grade_level, kandel_moles"})
    minimum = _Figure(**_NULLABLE_TEXT, metadata={"description": "lowest value that passes"})
    maximum = _Figure(**_NULLABLE_TEXT, metadata={"description": "highest value that passes"})
    text = fields.String(**_NULLABLE_TEXT, metadata={"description": "what was measured (a title, a heading)"})


EVIDENCE_SCHEMAS: dict[str, type[Schema]] = {
    "links": LinksEvidenceSchema, "people": PeopleEvidenceSchema, "dates": DatesEvidenceSchema,
    "count": CountEvidenceSchema, "markup": MarkupEvidenceSchema, "comparison": ComparisonEvidenceSchema,
    "texts": TextsEvidenceSchema, "terms": TermsEvidenceSchema, "quotations": QuotationsEvidenceSchema,
    "excerpts": ExcerptsEvidenceSchema,
}


def evidence_errors(value: Any) -> dict | list | None:
    """Why ``value`` is not a valid evidence (None when it is; null is valid)."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("kind") not in EVIDENCE_SCHEMAS:
        return {"kind": [f"must be one of {', '.join(EVIDENCE_SCHEMAS)}"]}
    return EVIDENCE_SCHEMAS[value["kind"]]().validate(value) or None


class EvidenceField(fields.Field):
    """One of the evidence kinds, chosen by ``kind``, or null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_none=True, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None or not isinstance(value, dict) or value.get("kind") not in EVIDENCE_SCHEMAS:
            return value
        return EVIDENCE_SCHEMAS[value["kind"]]().dump(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        errors = evidence_errors(value)
        if errors:
            raise ValidationError(errors)
        return EVIDENCE_SCHEMAS[value["kind"]]().load(value)
