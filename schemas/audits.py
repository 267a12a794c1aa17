"""Audit requests and reports (``/v1/audits``)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from .evidence import EvidenceField
from .fix import FixSchema
from .reports import lang_field

# The report parts an audit may include (scoring.audit.REPORT_PARTS; a test keeps them equal).
REPORT_PARTS = ("facts", "checks", "fix")
CHECK_STATUSES = ("pass", "warn", "fail", "not_applicable")
MAX_URL_LENGTH = 8192


def http_url(value: str) -> None:
    if "://" not in value and value.strip() and not value.startswith("/"):
        raise ValidationError(f"has no scheme: add https:// in front of it (https://{value.strip()[:200]})")
    if not value.lower().startswith(("http://", "https://")):
        raise ValidationError("must be an absolute http:// or https:// URL")


# The options of every URL field of the API: length and an absolute http(s) URL.
URL_FIELD = {"validate": [validate.Length(min=1, max=MAX_URL_LENGTH), http_url]}
_FAIL_UNDER_DOC = "score threshold: the response then has passed: true when score >= fail_under"
_INCLUDE_DOC = "report parts to include (default: all of facts, checks, fix)"
RENDER_DOC = ("URL audits: also render the page in headless Chromium (every request through the safe fetcher) and "
              "compare the raw HTML with the rendered DOM (facts.access.rendering, check access.server-rendered); "
              "the audit's facts stay the raw page's. 422 render-unavailable when the server has no Chromium. "
              "Adds seconds to the audit")
PROBE_BOTS_DOC = ("URL audits: also fetch the page as GPTBot, OAI-SearchBot, ChatGPT-User, ClaudeBot, Claude-User, "
                  "PerplexityBot, CCBot and Applebot (their published user agents) and as a browser, and compare "
                  "(facts.access.bots, check access.bot-responses). Sends nine requests: audit your own site")


class AuditRequestSchema(Schema):
    """JSON body: ``{url}`` to fetch and audit a page, or ``{html, url?}`` to audit given HTML."""

    class Meta:
        unknown = RAISE

    url = fields.String(**URL_FIELD, metadata={"description": "the page to fetch; with html, only the page's address",
                                          "example": "https://www.example.org/health/asthma"})
    html = fields.String(validate=validate.Length(min=1), metadata={
        "description": "the page's HTML (must look like HTML: a document or a fragment with tags such as <p>)",
        "example": "<!doctype html><html lang=en><title>Asthma</title><body><h1>Asthma</h1><p>Asthma is a lung "
                   "condition.</p></body></html>"})
    fail_under = fields.Float(validate=validate.Range(min=0, max=100), allow_nan=False,
                              metadata={"description": _FAIL_UNDER_DOC})
    include = fields.List(fields.String(validate=validate.OneOf(REPORT_PARTS)), metadata={"description": _INCLUDE_DOC})
    render = fields.Boolean(load_default=False, metadata={"description": RENDER_DOC})
    probe_bots = fields.Boolean(load_default=False, metadata={"description": PROBE_BOTS_DOC})

    @validates_schema
    def _url_or_html(self, data, **kwargs):
        if not data.get("html") and not data.get("url"):
            raise ValidationError("give url (a page to fetch) or html (the page itself)", field_name="url")
        for option in ("render", "probe_bots"):
            if data.get(option) and data.get("html"):
                raise ValidationError("applies to URL audits only: give url without html", field_name=option)


class AuditQuerySchema(Schema):
    """Query options; for a raw ``text/html`` body they are the only way to pass them."""

    class Meta:
        unknown = RAISE

    url = fields.String(**URL_FIELD, metadata={"description": "the page's address (raw HTML bodies); with a JSON body "
                                                         "the body's fields take precedence"})
    fail_under = fields.Float(validate=validate.Range(min=0, max=100), allow_nan=False,
                              metadata={"description": _FAIL_UNDER_DOC})
    include = DelimitedList(fields.String(validate=validate.OneOf(REPORT_PARTS)),
                            metadata={"description": _INCLUDE_DOC + "; comma-separated"})
    lang = lang_field()


class CategorySchema(Schema):
    score = fields.Float(required=True, allow_none=True, metadata={"description": "null when nothing applied"})
    weight = fields.Float(required=True)
    passed = fields.Integer(required=True)
    warned = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    not_applicable = fields.Integer(required=True)


class CheckResultSchema(Schema):
    id = fields.String(required=True)
    category = fields.String(required=True)
    weight = fields.Float(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(CHECK_STATUSES))
    message = fields.String(required=True)
    message_key = fields.String(required=True)
    params = fields.Dict(required=True)
    evidence = EvidenceField(metadata={"description": "what the check found, in one shape per kind (links, "
                                                      "people, dates, count, markup, comparison, texts, terms, "
                                                      "quotations, excerpts); null when there is nothing to show"})
    how_to_fix = fields.String(required=True)


class CacheInfoSchema(Schema):
    enabled = fields.Boolean(required=True, metadata={"description": "false when Redis is unavailable: the audit "
                                                                     "was computed but neither cached nor stored"})
    hit = fields.Boolean(required=True, metadata={"description": "true when the report came from the cache"})
    stored = fields.Boolean(required=True, metadata={"description": "true when GET /v1/audits/{id} can return it"})


class LimitSchema(Schema):
    code = fields.String(required=True, metadata={"description": "which cap bit (elements, links, jsonld-depth...)"})
    count = fields.Integer(required=True, metadata={"description": "how many the page holds (at least)"})
    limit = fields.Integer(required=True, metadata={"description": "how many were read"})
    message = fields.String(required=True)


class AuditReportSchema(Schema):
    id = fields.String(required=True, allow_none=True,
                       metadata={"description": "audit id for GET /v1/audits/{id}; null when not stored"})
    url = fields.String(required=True, allow_none=True)
    score = fields.Float(required=True)
    grade = fields.String(required=True)
    rules_version = fields.String(required=True)
    source = fields.String(required=True, validate=validate.OneOf(("html", "url")))
    created_at = fields.String(required=True, metadata={"description": "ISO 8601 UTC time of the audit"})
    expires_at = fields.String(allow_none=True, metadata={"description": "when the stored audit is deleted"})
    categories = fields.Dict(keys=fields.String(), values=fields.Nested(CategorySchema), required=True)
    checks = fields.List(fields.Nested(CheckResultSchema))
    facts = fields.Dict()
    fix = fields.Nested(FixSchema, allow_none=True, metadata={
        "description": "the corrected JSON-LD and what it changes; null or absent when not asked"})
    limits = fields.List(fields.Nested(LimitSchema), metadata={
        "description": "caps on pathological pages that bit: what part of the page was not read"})
    cache = fields.Nested(CacheInfoSchema, metadata={"description": "present on POST responses"})
    fail_under = fields.Float(metadata={"description": "echoed when given"})
    passed = fields.Boolean(metadata={"description": "score >= fail_under, when fail_under was given"})
    lang = fields.String(metadata={"description": "language of the checks' titles, messages and how-to-fix"})
    compared_to = fields.String(allow_none=True, metadata={
        "description": "the id of this tenant's previous audit of the same page (canonical URL, else final URL); "
                       "null for the first"})
    changes = fields.Dict(allow_none=True, metadata={
        "description": "what changed since that audit: score and category deltas, checks that started or stopped "
                       "failing, facts (people, dates, citations, markup errors), fix progress, rules_changed and "
                       "rescored (the old facts re-scored under the current rules); lines: the same as sentences"})
