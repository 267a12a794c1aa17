"""The fix of a report: the JSON-LD to paste, what it adds or corrects, what the page does not say, and what the
page's own microdata/RDFa gets wrong (scoring/fix/build.py builds it; these schemas document and check its shape).
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

FIX_ACTIONS = ("add", "correct", "keep", "remove")
MARKUP_SYNTAXES = ("microdata", "rdfa")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class FixChangeSchema(_Strict):
    action = fields.String(required=True, validate=validate.OneOf(FIX_ACTIONS), metadata={
        "description": "add: a node or property the page's markup lacked; correct: a value rewritten; keep: a value "
                       "checked and kept; remove: a value (or a microdata/RDFa statement) taken out"})
    path = fields.String(required=True, metadata={"description": "the node: its @id, else its type"})
    property = fields.String(required=True, allow_none=True, metadata={
        "description": "the property changed; null when the change is the whole node"})
    value = fields.Raw(required=True, allow_none=True, metadata={"description": "the value written (JSON-LD)"})
    reason = fields.String(required=True, metadata={"description": "why, in the report's language"})
    reason_code = fields.String(required=True, metadata={"description": "the stable code of the reason"})
    reason_params = fields.Dict(required=True, metadata={"description": "the reason's parameters"})


class FixMissingSchema(_Strict):
    property = fields.String(required=True, metadata={"description": "the schema.org property the page cannot fill"})
    message = fields.String(required=True, metadata={"description": "what the editor must show on the page, in the "
                                                                    "report's language"})
    message_key = fields.String(required=True)
    params = fields.Dict(required=True)
    checks = fields.List(fields.String(), required=True, metadata={"description": "the checks it would satisfy"})


class MarkupRemovalSchema(_Strict):
    attribute = fields.String(required=True, validate=validate.OneOf(("itemprop", "property")))
    value = fields.String(required=True, metadata={"description": "the one token to take out of the attribute"})
    line = fields.Integer(required=True, metadata={"description": "line of the start tag in the page's HTML"})
    tag = fields.String(required=True, metadata={"description": "the start tag as the page writes it (cut after "
                                                                "200 characters)"})


class FixUnfixedSchema(_Strict):
    property = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "the validator's finding, in the report's "
                                                                    "language"})
    message_key = fields.String(required=True)
    params = fields.Dict(required=True)
    code = fields.String(required=True, metadata={"description": "the validator's finding code"})
    syntax = fields.String(required=True, validate=validate.OneOf(MARKUP_SYNTAXES))
    checks = fields.List(fields.String(), required=True)
    remove = fields.List(fields.Nested(MarkupRemovalSchema), metadata={
        "description": "present when the error is pinned to attribute tokens: what fix --apply (apply_fix) takes "
                       "out of the page"})


class FixSchema(_Strict):
    jsonld = fields.Dict(required=True, metadata={"description": "the corrected JSON-LD graph"})
    script = fields.String(required=True, metadata={"description": "the <script type=\"application/ld+json\"> "
                                                                   "element to paste in place of the page's"})
    changes = fields.List(fields.Nested(FixChangeSchema), required=True)
    missing = fields.List(fields.Nested(FixMissingSchema), required=True, metadata={
        "description": "what the page does not say: an editor must supply it (nothing is invented)"})
    unfixed = fields.List(fields.Nested(FixUnfixedSchema), required=True, metadata={
        "description": "the page's microdata/RDFa problems the JSON-LD cannot correct"})
