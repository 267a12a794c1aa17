"""Site batches (``/v1/batches``): requests, progress, page records, the site summary."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from .audits import URL_FIELD
from .reports import lang_field

# "stalled" is reported, never stored: an active batch where no page started or finished for
# HEALTHGEO_BATCH_STALL_AFTER seconds (no live worker on its queue, or workers that cannot do its work)
BATCH_STATES = ("queued", "discovering", "running", "stalled", "done", "cancelled", "failed")
BATCH_MODES = ("sitemap", "crawl", "urls")
PAGE_STATES = ("done", "failed", "skipped_robots")
MAX_URLS = 10_000
MAX_DEPTH = 20

_PATTERNS = {"validate": validate.Length(max=50)}


class BatchRequestSchema(Schema):
    """One of ``sitemap_url``, ``start_url`` (a crawl) or ``urls``, plus options."""

    class Meta:
        unknown = RAISE

    sitemap_url = fields.String(**URL_FIELD, metadata={
        "description": "a sitemap or sitemap index (gzip allowed), or the site's home page: robots.txt Sitemap: "
                       "lines and /sitemap.xml are then tried", "example": "https://www.example.org/sitemap.xml"})
    start_url = fields.String(**URL_FIELD, metadata={
        "description": "crawl the site breadth-first from this page (same site only)",
        "example": "https://www.example.org/"})
    urls = fields.List(fields.String(**URL_FIELD), validate=validate.Length(min=1, max=MAX_URLS),
                       metadata={"description": f"audit exactly these pages (at most {MAX_URLS})"})
    max_pages = fields.Integer(validate=validate.Range(min=1), metadata={
        "description": "stop admitting pages after this many (capped by HEALTHGEO_BATCH_MAX_PAGES)"})
    max_depth = fields.Integer(validate=validate.Range(min=0, max=MAX_DEPTH), metadata={
        "description": "crawl: links followed at most this deep from start_url (default 5)"})
    include = fields.List(fields.String(validate=validate.Length(min=1, max=500)), **_PATTERNS, metadata={
        "description": "only URLs matching one of these patterns (see docs/configuration.md, Batches)"})
    exclude = fields.List(fields.String(validate=validate.Length(min=1, max=500)), **_PATTERNS, metadata={
        "description": "never URLs matching one of these patterns"})
    callback_url = fields.String(**URL_FIELD, metadata={
        "description": "POSTed the summary when the batch ends, signed: X-Healthgeo-Signature: sha256=<hex HMAC of "
                       "the body>; refused (422 callback-undeliverable) when no delivery could ever reach it: "
                       "credentials in it, an unresolvable host, a non-public address or port not in "
                       "HEALTHGEO_FETCH_ALLOW", "example": "https://hooks.example.org/healthgeo"})
    callback_secret = fields.String(validate=validate.Length(min=16, max=256), load_only=True, metadata={
        "description": "HMAC-SHA256 key of the webhook signature (default: HEALTHGEO_WEBHOOK_SECRET); never "
                       "returned"})
    fail_under = fields.Float(validate=validate.Range(min=0, max=100), allow_nan=False, metadata={
        "description": "page records get passed: score >= fail_under"})
    render = fields.Boolean(metadata={"description": "render each page in headless Chromium and compare with its raw "
                                                     "HTML (see POST /v1/audits render); seconds a page"})
    probe_bots = fields.Boolean(metadata={"description": "fetch each page as the major AI crawlers and as a browser "
                                                         "(see POST /v1/audits probe_bots); nine requests a page"})

    @validates_schema
    def _one_source(self, data, **kwargs):
        given = [name for name in ("sitemap_url", "start_url", "urls") if data.get(name)]
        if len(given) != 1:
            raise ValidationError("give exactly one of sitemap_url, start_url or urls", field_name="(body)")
        if data.get("urls"):
            for name in ("max_depth", "include", "exclude"):
                if data.get(name) is not None:
                    raise ValidationError("only for sitemap_url or start_url batches", field_name=name)
        if data.get("callback_secret") and not data.get("callback_url"):
            raise ValidationError("callback_secret needs callback_url", field_name="callback_secret")


class BatchCountsSchema(Schema):
    discovered = fields.Integer(required=True, metadata={"description": "unique in-scope URLs found"})
    queued = fields.Integer(required=True, metadata={"description": "waiting for a worker"})
    running = fields.Integer(required=True)
    done = fields.Integer(required=True, metadata={"description": "audited"})
    failed = fields.Integer(required=True, metadata={"description": "fetch errors (blocked-address, ...), not HTML, "
                                                                    "..."})
    skipped_robots = fields.Integer(required=True, metadata={"description": "disallowed by robots.txt"})


class _BatchFacts(Schema):
    """What progress and summary both say of a batch."""

    state = fields.String(required=True, validate=validate.OneOf(BATCH_STATES))
    mode = fields.String(required=True, validate=validate.OneOf(BATCH_MODES))
    start = fields.String(required=True)
    created_at = fields.String(required=True)
    finished_at = fields.String(allow_none=True)
    counts = fields.Nested(BatchCountsSchema, required=True)
    pages_per_second = fields.Float(required=True)


class BatchSchema(_BatchFacts):
    id = fields.String(required=True)
    stalled_since = fields.String(allow_none=True, metadata={
        "description": "state stalled: when a page last started or finished (ISO 8601, UTC); else null"})
    max_pages = fields.Integer(allow_none=True)
    truncated = fields.Boolean(metadata={"description": "max_pages stopped the discovery"})
    eta_seconds = fields.Float(allow_none=True, metadata={"description": "null until a rate is known"})
    error = fields.Dict(allow_none=True)
    callback_url = fields.String(allow_none=True)
    webhook = fields.Dict(allow_none=True, metadata={"description": "delivery outcome: delivered, attempts, "
                                                                    "status, error"})
    links = fields.Dict(keys=fields.String(), values=fields.String())


class PageErrorSchema(Schema):
    code = fields.String(required=True, metadata={
        "description": "the fetcher's code (blocked-address for a non-public address, dns-error, timeout, "
                       "http-error...), not-html, robots-disallowed (skipped_robots pages) or job-failed"})
    status = fields.Integer(allow_none=True)
    message = fields.String(allow_none=True)


class PageRecordSchema(Schema):
    url = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(PAGE_STATES))
    depth = fields.Integer()
    section = fields.String()
    final_url = fields.String(allow_none=True)
    status = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
    categories = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    failed_checks = fields.List(fields.String())
    warned_checks = fields.List(fields.String())
    na_checks = fields.List(fields.String())
    title = fields.String(allow_none=True)
    h1 = fields.String(allow_none=True)
    audit_id = fields.String(allow_none=True, metadata={"description": "GET /v1/audits/{id} for the full report"})
    error = fields.Nested(PageErrorSchema, allow_none=True)
    elapsed_ms = fields.Float(allow_none=True)
    rules_version = fields.String(allow_none=True, metadata={"description": "the rules that scored the page"})
    audience = fields.String(allow_none=True, validate=validate.OneOf(("professionals", "public", "both")), metadata={
        "description": "who the page speaks to (facts.audience): professionals, public, both; null when it does not "
                       "show it"})
    hygiene = fields.Dict(allow_none=True, metadata={
        "description": "what the site summary judges across pages: canonical (the page's one canonical URL, null "
                       "when none or several differ) and hreflang ([code, url] pairs)"})
    js_only = fields.List(fields.String(), metadata={
        "description": "with render: the facts (text, author, date, jsonld) only the rendered page holds"})
    bots_refused = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "with probe_bots: each AI crawler turned away and how (blocked, challenged)"})
    passed = fields.Boolean()


class PagesQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    cursor = fields.Integer(load_default=0, validate=validate.Range(min=0),
                            metadata={"description": "position to read from (next_cursor of the previous page)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    min_score = fields.Float(validate=validate.Range(min=0, max=100), allow_nan=False)
    max_score = fields.Float(validate=validate.Range(min=0, max=100), allow_nan=False)
    failing = fields.String(validate=validate.Length(min=1, max=100),
                            metadata={"description": "only pages failing this check id", "example": "structure.title"})
    state = fields.String(validate=validate.OneOf(PAGE_STATES))
    lang = lang_field()

    @validates_schema
    def _range(self, data, **kwargs):
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and low > high:
            raise ValidationError("must be >= min_score", field_name="max_score")


class PagesSchema(Schema):
    items = fields.List(fields.Nested(PageRecordSchema), required=True)
    next_cursor = fields.Integer(allow_none=True, required=True)
    next = fields.String(allow_none=True, required=True, metadata={"description": "URL of the next page of results"})


class HistogramBucketSchema(Schema):
    from_ = fields.Integer(data_key="from", required=True)
    to = fields.Integer(required=True)
    count = fields.Integer(required=True)


class ScoreSummarySchema(Schema):
    mean = fields.Float(allow_none=True)
    median = fields.Float(allow_none=True)
    histogram = fields.List(fields.Nested(HistogramBucketSchema))
    grades = fields.Dict(keys=fields.String(), values=fields.Integer())


class CheckSummarySchema(Schema):
    id = fields.String(required=True)
    category = fields.String(required=True)
    title = fields.String(required=True)
    failed = fields.Integer(required=True)
    warned = fields.Integer(required=True)
    applicable = fields.Integer(required=True)
    pages = fields.List(fields.String(), metadata={"description": "at most 20 failing page URLs"})


class HygieneFindingSchema(Schema):
    count = fields.Integer(required=True)
    examples = fields.List(fields.Dict(), required=True, metadata={"description": "at most 20, in record order"})


class SiteHygieneSchema(Schema):
    """Canonical and hreflang judged across the batch's pages (a page alone cannot tell)."""

    canonical_to_redirect = fields.Nested(HygieneFindingSchema, required=True, metadata={
        "description": "pages whose canonical URL answered a redirect in this batch: url, canonical, final_url"})
    canonical_to_missing = fields.Nested(HygieneFindingSchema, required=True, metadata={
        "description": "pages whose canonical URL answered 404 or 410 in this batch: url, canonical, status"})
    hreflang_not_reciprocal = fields.Nested(HygieneFindingSchema, required=True, metadata={
        "description": "hreflang pairs whose target, audited in this batch, does not name the page back: url, "
                       "hreflang (the code), target"})


class AudienceCountsSchema(Schema):
    professionals = fields.Integer(required=True)
    public = fields.Integer(required=True)
    both = fields.Integer(required=True)
    unknown = fields.Integer(required=True, metadata={"description": "pages that show no audience"})


class ComplianceFindingSchema(Schema):
    id = fields.String(required=True, metadata={"description": "a compliance check (or trust.prescription-promotion)"})
    failed = fields.Integer(required=True)
    warned = fields.Integer(required=True)
    applicable = fields.Integer(required=True, metadata={"description": "pages of the section the rule concerns"})
    pages = fields.List(fields.String(), required=True, metadata={"description": "at most 5 failing or warned URLs"})


class AudienceSectionSchema(Schema):
    section = fields.String(required=True, metadata={"description": "first path segment, e.g. /professionnels/"})
    pages = fields.Integer(required=True)
    audience = fields.Nested(AudienceCountsSchema, required=True)
    main_audience = fields.String(required=True, validate=validate.OneOf(("professionals", "public", "both",
                                                                          "unknown")))
    compliance = fields.List(fields.Nested(ComplianceFindingSchema), required=True, metadata={
        "description": "the rules that apply to at least one page of the section"})


class AudienceSummarySchema(Schema):
    audience = fields.Nested(AudienceCountsSchema, required=True)
    sections = fields.List(fields.Nested(AudienceSectionSchema), required=True)


class SummarySchema(_BatchFacts):
    """The site picture; the webhook POSTs the same document."""

    batch_id = fields.String(required=True)
    score = fields.Nested(ScoreSummarySchema, required=True)
    categories = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    checks = fields.List(fields.Nested(CheckSummarySchema), required=True)
    worst_pages = fields.List(fields.Dict(), required=True)
    sections = fields.List(fields.Dict(), required=True)
    errors = fields.List(fields.Dict(), required=True)
    hygiene = fields.Nested(SiteHygieneSchema, metadata={
        "description": "canonical URLs pointing at redirects or missing pages, hreflang pairs not reciprocal"})
    audience = fields.Nested(AudienceSummarySchema, metadata={
        "description": "audience split and compliance findings, site-wide and per section"})
    site = fields.Dict(required=True)
    exports = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    comparison = fields.Dict(allow_none=True, metadata={
        "description": "the comparison with the tenant's previous completed batch of the same site (null if none)"})
    trend = fields.List(fields.Dict(), metadata={
        "description": "the tenant's completed batches of the site, oldest first: id, finished_at, mean, pages"})
