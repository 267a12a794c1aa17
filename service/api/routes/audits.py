"""``/v1/audits``: audit a page (JSON or raw HTML body) and read stored audits back."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_smorest import Blueprint
from marshmallow import RAISE

from schemas import (
    REPORT_PARTS,
    AuditQuerySchema,
    AuditReportSchema,
    AuditRequestSchema,
    LangQuerySchema,
    ProblemSchema,
)
from scoring.i18n import comparison_lines, localize_report

from ...audits.service import AuditInput, AuditService
from ...net.body import parse_content_type
from ...store import StoreUnavailable
from ..auth.security import current_identity
from ..language import request_language, vary_headers
from ..problems import localized_problem
from .bodies import is_json, json_response, load_json, report_response

blp = Blueprint("audits", __name__, url_prefix="/v1/audits", description="Audit health pages.")

HTML_TYPES = ("text/html", "application/xhtml+xml")
_PROBLEM = "application/problem+json"

_REQUEST_BODY = {
    "required": True,
    "description": "JSON: either {url} (the server fetches the page) or {html, url?} (the page's HTML); or the page "
                   "itself as a text/html body, options then in the query string.",
    "content": {
        "application/json": {"schema": AuditRequestSchema},
        "text/html": {"schema": {"type": "string", "minLength": 1}},
    },
}


def _service() -> AuditService:
    return current_app.extensions["healthgeo.audits"]


def _parse_request(query: dict[str, Any]) -> AuditInput:
    mime, charset = parse_content_type(request.headers.get("Content-Type"))
    if is_json(mime):
        body = load_json(AuditRequestSchema(), "{url} or {html, url?}")
        opts = {**query, **body}
        html = body.get("html")
        item = AuditInput(html=html.encode("utf-8") if html is not None else None, url=opts.get("url"))
    elif mime in HTML_TYPES:
        raw = request.get_data(cache=False)
        if not raw.strip():
            raise localized_problem(422, "invalid-fields", key="invalid-fields.empty-html",
                                    errors=[{"location": "body", "field": "(body)", "message": "empty body"}])
        opts = dict(query)
        item = AuditInput(html=raw, url=opts.get("url"), charset=charset)
    else:
        shown = mime or "none"
        raise localized_problem(415, "unsupported-media-type", content_type=shown,
                                accepted="application/json, text/html",
                                headers={"Accept-Post": "application/json, text/html"})
    if item.html is not None and not _looks_like_html(item.html):
        raise localized_problem(422, "not-html", key="not-html-body",
                                errors=[{"location": "body", "field": "html" if mime != "text/html" else "(body)",
                                "message": "not an HTML document"}])
    if opts.get("include") is not None:
        item.include = tuple(dict.fromkeys(opts["include"]))
    else:
        item.include = REPORT_PARTS
    item.fail_under = opts.get("fail_under")
    item.render = bool(opts.get("render"))
    item.probe_bots = bool(opts.get("probe_bots"))
    return item


def _looks_like_html(data: bytes) -> bool:
    from ...audits.inputs import looks_like_html

    return looks_like_html(data)


@blp.route("", methods=["POST"])
@blp.arguments(AuditQuerySchema, location="query", as_kwargs=False)
@blp.doc(requestBody=_REQUEST_BODY)
@blp.response(201, AuditReportSchema, description="A new audit, stored under its id (Location header).")
@blp.alt_response(200, schema=AuditReportSchema, success=True,
                  description="The same content was audited before (cache hit: the stored audit), or Redis is "
                              "down: the audit was computed but not stored (id null, cache.enabled false).")
@blp.alt_response(400, schema=ProblemSchema, content_type=_PROBLEM,
                  description="Malformed JSON, JSON nested too deeply, or a compressed body that does not decompress")
@blp.alt_response(401, schema=ProblemSchema, content_type=_PROBLEM, description="Missing or unknown API key")
@blp.alt_response(403, schema=ProblemSchema, content_type=_PROBLEM, description="The key lacks the audit scope")
@blp.alt_response(413, schema=ProblemSchema, content_type=_PROBLEM,
                  description="Body over HEALTHGEO_MAX_BODY (on the wire or decompressed; chunked bodies too)")
@blp.alt_response(415, schema=ProblemSchema, content_type=_PROBLEM,
                  description="Not JSON or HTML, or a Content-Encoding other than gzip or deflate")
@blp.alt_response(422, schema=ProblemSchema, content_type=_PROBLEM,
                  description="Invalid fields, a URL that may not or cannot be fetched (blocked address, "
                              "unresolvable host, not HTML, too large), or an audit over its time budget "
                              "(audit-timeout, HEALTHGEO_AUDIT_BUDGET)")
@blp.alt_response(429, schema=ProblemSchema, content_type=_PROBLEM, description="Rate limit; see Retry-After")
@blp.alt_response(502, schema=ProblemSchema, content_type=_PROBLEM, description="The page's server failed")
@blp.alt_response(504, schema=ProblemSchema, content_type=_PROBLEM, description="The page's server timed out")
def create_audit(query: dict[str, Any]):
    """Audit one page: by URL (fetched by the server, with robots.txt and llms.txt) or from its HTML."""
    item = _parse_request(query)
    outcome = _service().audit(item, owner=current_identity().tenant)
    body = localize_report(outcome.report, request_language(query.get("lang")))
    body["cache"] = outcome.cache
    _say_changes(body, request_language(query.get("lang")))
    if item.fail_under is not None:
        body["fail_under"] = item.fail_under
        body["passed"] = bool(body["score"] >= item.fail_under)
    headers = {"X-Healthgeo-Cache": "hit" if outcome.cache["hit"] else ("miss" if outcome.cache["enabled"]
                                                                        else "off")}
    if outcome.audit_id:
        headers["Location"] = url_for("audits.get_audit", audit_id=outcome.audit_id)
    status = 201 if outcome.created and outcome.audit_id else 200
    return json_response(body, status, vary_headers(headers, query.get("lang")))


def _say_changes(body: dict[str, Any], lang: str) -> None:
    """The comparison also as sentences in the reader's language (``changes.lines``)."""
    body.setdefault("compared_to", None)
    if body.get("changes"):
        body["changes"] = {**body["changes"], "lines": comparison_lines(body["changes"], lang)}
    else:
        body["changes"] = None


def _stored_report(audit_id: str) -> dict[str, Any]:
    if not (0 < len(audit_id) <= 64) or not all(c.isascii() and (c.isalnum() or c in "_-") for c in audit_id):
        raise localized_problem(404, "audit-not-found", audit_id=repr(audit_id[:64]))
    try:
        report = _service().get(audit_id, current_identity())
    except StoreUnavailable:
        raise localized_problem(503, "storage-unavailable", key="storage-unavailable.audits",
                                headers={"Retry-After": "5"}) from None
    if report is None:
        raise localized_problem(404, "audit-not-found", audit_id=repr(audit_id))
    return report


@blp.route("/<string:audit_id>", methods=["GET"])
@blp.arguments(LangQuerySchema, location="query", as_kwargs=False, unknown=RAISE)
@blp.response(200, AuditReportSchema)
@blp.alt_response(401, schema=ProblemSchema, content_type=_PROBLEM, description="Missing or unknown API key")
@blp.alt_response(403, schema=ProblemSchema, content_type=_PROBLEM, description="The key lacks the audit scope")
@blp.alt_response(404, schema=ProblemSchema, content_type=_PROBLEM,
                  description="Unknown or expired audit, or another tenant's (the same answer)")
@blp.alt_response(429, schema=ProblemSchema, content_type=_PROBLEM, description="Rate limit; see Retry-After")
@blp.alt_response(503, schema=ProblemSchema, content_type=_PROBLEM, description="Redis does not answer")
def get_audit(query: dict[str, Any], audit_id: str):
    """A stored audit, while its retention lasts."""
    report = localize_report(_stored_report(audit_id), request_language(query.get("lang")))
    _say_changes(report, request_language(query.get("lang")))
    return json_response(report, 200, vary_headers({"Cache-Control": "private, max-age=60"}, query.get("lang")))


@blp.route("/<string:audit_id>/report", methods=["GET"])
@blp.arguments(LangQuerySchema, location="query", as_kwargs=False, unknown=RAISE)
@blp.doc(responses={"200": {"description": "The page report: a self-contained HTML page (inline CSS and script, "
                                           "SVG charts), readable printed or saved as PDF.",
                            "content": {"text/html": {"schema": {"type": "string"}}}}})
@blp.alt_response(401, schema=ProblemSchema, content_type=_PROBLEM, description="Missing or unknown API key")
@blp.alt_response(403, schema=ProblemSchema, content_type=_PROBLEM, description="The key lacks the audit scope")
@blp.alt_response(404, schema=ProblemSchema, content_type=_PROBLEM,
                  description="Unknown or expired audit, or another tenant's (the same answer)")
@blp.alt_response(429, schema=ProblemSchema, content_type=_PROBLEM, description="Rate limit; see Retry-After")
@blp.alt_response(503, schema=ProblemSchema, content_type=_PROBLEM, description="Redis does not answer")
def get_audit_report(query: dict[str, Any], audit_id: str):
    """A stored audit as a readable HTML report, in English or French."""
    from ...reports import render_page_report

    html = render_page_report(_stored_report(audit_id), lang=request_language(query.get("lang")))
    return report_response(html, query.get("lang"))
