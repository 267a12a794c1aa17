"""``/v1/batches``: audit whole sites on RQ workers; progress, page records, the site summary, exports."""

from __future__ import annotations

import functools
from typing import Any

import redis
from flask import Response, current_app, request, stream_with_context, url_for
from flask_smorest import Blueprint
from marshmallow import RAISE

from schemas import (
    BatchRequestSchema,
    BatchSchema,
    CompareQuerySchema,
    LangQuerySchema,
    PagesQuerySchema,
    PagesSchema,
    ProblemSchema,
    SiteComparisonSchema,
    SummarySchema,
)
from scoring.i18n import site_comparison_lines

from ...batches.exports import csv_chunks, jsonl_chunks, stored_reports
from ...batches.queries import iter_records, list_pages, visible_batch
from ...batches.runtime import Runtime, runtime_for
from ...batches.service import BatchRequestError, RenderUnavailable, UndeliverableCallback, cancel_batch, create_batch
from ...batches.summary import summary_for
from ...messages import localized_records
from ...net.body import parse_content_type
from ..auth.security import current_identity
from ..language import request_language
from ..problems import ApiError, invalid_fields, localized_problem, problem_text
from .bodies import is_json, json_response, load_json, report_response

blp = Blueprint("batches", __name__, url_prefix="/v1/batches",
                description="Audit whole sites: sitemaps, crawls or URL lists, on RQ workers.")

_PROBLEM = "application/problem+json"
_BATCH_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_COMMON = [(401, "Missing or unknown API key"), (403, "The key lacks the batch scope"),
           (429, "Rate limit; see Retry-After"), (503, "Redis does not answer")]


def _errors(*extra: tuple[int, str]):
    def wrap(fn):
        for status, description in (*extra, *_COMMON):
            fn = blp.alt_response(status, schema=ProblemSchema, content_type=_PROBLEM, description=description)(fn)
        return fn

    return wrap


def _runtime() -> Runtime:
    store = current_app.extensions["healthgeo.store"]
    if store.client is None:
        raise _unavailable()
    return runtime_for(store.client, store.prefix, current_app.config["HEALTHGEO"])


def _unavailable() -> ApiError:
    return localized_problem(503, "storage-unavailable", key="storage-unavailable.batches",
                             headers={"Retry-After": "5"})


def _not_found(batch_id: str) -> ApiError:  # also another tenant's batch: it does not exist for this key
    return localized_problem(404, "batch-not-found", batch_id=repr(batch_id[:64]))


def _runtime_of(batch_id: str) -> Runtime:
    """The runtime, once ``batch_id`` is known to exist (404 otherwise)."""
    rt = _runtime()
    _known(rt, batch_id)
    return rt


def _known(rt: Runtime, batch_id: str) -> dict[str, Any]:
    if not (0 < len(batch_id) <= 64) or not set(batch_id) <= _BATCH_ID_CHARS:
        raise _not_found(batch_id)
    found = visible_batch(rt, batch_id, current_identity())
    if found is None:
        raise _not_found(batch_id)
    return found


def _guard(fn):
    """Redis trouble in a view is a 503 problem, not a 500."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (redis.RedisError, OSError):
            raise _unavailable() from None

    return run


@blp.route("", methods=["POST"])
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": BatchRequestSchema}}})
@blp.response(202, BatchSchema, description="Accepted: discovery is queued; poll the Location URL.")
@_errors((400, "Malformed JSON, nested too deeply, or a compressed body that does not decompress"),
         (413, "Body over HEALTHGEO_MAX_BODY"), (415, "Not JSON, or an unsupported Content-Encoding"),
         (422, "Invalid fields, or a callback_url that can never be delivered (bad scheme, non-public address not in "
               "HEALTHGEO_FETCH_ALLOW, unresolvable host)"))
@_guard
def create():
    """Start a batch: a sitemap, a crawl from a start URL, or a list of URLs."""
    mime, _ = parse_content_type(request.headers.get("Content-Type"))
    if not is_json(mime):
        raise localized_problem(415, "unsupported-media-type", content_type=mime or "none",
                                accepted="application/json", headers={"Accept-Post": "application/json"})
    body = load_json(BatchRequestSchema(), "{sitemap_url}, {start_url, ...} or {urls: [...]}")
    try:
        batch = create_batch(_runtime(), body, owner=current_identity().tenant)
    except UndeliverableCallback as e:
        lang = request_language(request.args.get("lang"))
        reason = problem_text(f"callback-undeliverable.{e.code}", lang, host=e.host or "?")
        raise localized_problem(422, "callback-undeliverable", lang, reason=reason,
                                errors=[{"location": "body", "field": "callback_url", "message": reason}]) from None
    except RenderUnavailable as e:
        raise localized_problem(422, "render-unavailable", extra={"reason": e.message}) from None
    except BatchRequestError as e:
        raise invalid_fields([{"location": "body", "field": e.field, "message": e.message}]) from None
    return json_response(batch, 202, {"Location": url_for("batches.get_batch", batch_id=batch["id"])})


@blp.route("/<string:batch_id>", methods=["GET"])
@blp.response(200, BatchSchema)
@_errors((404, "Unknown batch, or another tenant's (the same answer)"))
@_guard
def get_batch(batch_id: str):
    """Progress: state, counts (discovered, queued, running, done, failed, skipped by robots), pages/s, ETA."""
    return json_response(_known(_runtime(), batch_id), headers={"Cache-Control": "no-store"})


@blp.route("/<string:batch_id>", methods=["DELETE"])
@blp.response(200, BatchSchema, description="The batch, now cancelled (or already ended: unchanged).")
@_errors((404, "Unknown batch, or another tenant's (the same answer)"))
@_guard
def cancel(batch_id: str):
    """Cancel a batch: queued pages are dropped, pages in progress finish; results so far are kept."""
    rt = _runtime_of(batch_id)
    return json_response(cancel_batch(rt, batch_id))


@blp.route("/<string:batch_id>/pages", methods=["GET"])
@blp.arguments(PagesQuerySchema, location="query", as_kwargs=False)
@blp.response(200, PagesSchema)
@_errors((404, "Unknown batch, or another tenant's (the same answer)"), (422, "Invalid query parameters"))
@_guard
def pages(query: dict[str, Any], batch_id: str):
    """Page records in the order they were written, filtered by score range, failing check or state."""
    rt = _runtime_of(batch_id)
    items, next_cursor = list_pages(rt, batch_id, cursor=query["cursor"], limit=query["limit"],
                                    min_score=query.get("min_score"), max_score=query.get("max_score"),
                                    failing=query.get("failing"), state=query.get("state"))
    items = list(localized_records(items, request_language(query.get("lang"))))
    next_url = None
    if next_cursor is not None:
        args = {k: v for k, v in query.items() if k != "cursor" and v is not None}
        next_url = url_for("batches.pages", batch_id=batch_id, cursor=next_cursor, **args)
    return json_response({"items": items, "next_cursor": next_cursor, "next": next_url})


@blp.route("/<string:batch_id>/summary", methods=["GET"])
@blp.response(200, SummarySchema)
@_errors((404, "Unknown batch, or another tenant's (the same answer)"))
@_guard
def summary(batch_id: str):
    """The site picture: scores, categories, checks ranked by failing pages, worst pages, sections, site findings."""
    rt = _runtime_of(batch_id)
    summary = summary_for(rt, batch_id)
    if isinstance(summary.get("errors"), list):  # why pages failed, in the reader's language
        summary["errors"] = list(localized_records(summary["errors"], request_language(request.args.get("lang"))))
    return json_response(summary)


@blp.route("/<string:batch_id>/compare", methods=["GET"])
@blp.arguments(CompareQuerySchema, location="query", as_kwargs=False)
@blp.response(200, SiteComparisonSchema)
@_errors((404, "Unknown batch (either), or another tenant's (the same answer)"), (422, "Invalid query parameters"))
@_guard
def compare(query: dict[str, Any], batch_id: str):
    """What changed from the batch named by with to this one: pages new, gone, improved, regressed; checks whose
    failing-page count moved; the score histogram before and after (any two batches of this tenant)."""
    from ...batches.site_history import compare_batches

    rt = _runtime()
    _known(rt, batch_id)
    _known(rt, query["other"])
    comparison = compare_batches(rt, rt.batches.meta(query["other"]), rt.batches.meta(batch_id))
    comparison["lines"] = site_comparison_lines(comparison, request_language(query.get("lang")))
    return json_response(comparison)


@blp.route("/<string:batch_id>/report", methods=["GET"])
@blp.arguments(LangQuerySchema, location="query", as_kwargs=False, unknown=RAISE)
@blp.doc(responses={"200": {"description": "The site report: a self-contained HTML page (inline CSS and script, "
                                           "SVG charts) linking to the CSV and JSONL exports.",
                            "content": {"text/html": {"schema": {"type": "string"}}}}})
@_errors((404, "Unknown batch, or another tenant's (the same answer)"), (422, "Invalid query parameters"))
@_guard
def report(query: dict[str, Any], batch_id: str):
    """The site summary as a readable HTML report, in English or French (a running batch shows its progress)."""
    from ...reports import render_site_report

    rt = _runtime_of(batch_id)
    exports = {"csv": url_for("batches.export_csv", batch_id=batch_id),
               "jsonl": url_for("batches.export_jsonl", batch_id=batch_id)}
    html = render_site_report(summary_for(rt, batch_id), lang=request_language(query.get("lang")), exports=exports)
    return report_response(html, query.get("lang"))


def _stream(chunks, mimetype: str, filename: str) -> Response:
    return Response(stream_with_context(chunks), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@blp.route("/<string:batch_id>/export.csv", methods=["GET"])
@blp.doc(responses={"200": {"description": "One row a page (streamed)", "content": {"text/csv": {}}}})
@_errors((404, "Unknown batch, or another tenant's (the same answer)"))
@_guard
def export_csv(batch_id: str):
    """CSV, one row a page: url, state, status, score, grade, category scores, top failed checks, error."""
    rt = _runtime_of(batch_id)
    lang = request_language(request.args.get("lang"))
    return _stream(csv_chunks(localized_records(iter_records(rt, batch_id), lang)), "text/csv", f"{batch_id}.csv")


@blp.route("/<string:batch_id>/export.jsonl", methods=["GET"])
@blp.doc(responses={"200": {"description": "One full report a line (streamed)",
                            "content": {"application/x-ndjson": {}}}})
@_errors((404, "Unknown batch, or another tenant's (the same answer)"))
@_guard
def export_jsonl(batch_id: str):
    """JSON Lines: each page's full stored report, with its batch record under the key "batch"."""
    rt = _runtime_of(batch_id)
    return _stream(jsonl_chunks(iter_records(rt, batch_id), stored_reports(rt.store)), "application/x-ndjson",
                   f"{batch_id}.jsonl")
