"""``/v1/pages/history?url=``: a page's audits by this tenant, newest first.

A query parameter rather than the URL in the path: a URL holds ``/``, ``?`` and ``#`` that a path would need
encoded twice over, and proxies normalise paths.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from schemas import PageHistoryQuerySchema, PageHistorySchema, ProblemSchema

from ...audits.service import AuditService
from ...store import StoreUnavailable
from ..auth.security import current_identity
from ..problems import ApiError
from .bodies import json_response

blp = Blueprint("pages", __name__, url_prefix="/v1/pages", description="Pages over time: their audits.")
_PROBLEM = "application/problem+json"


@blp.route("/history", methods=["GET"])
@blp.arguments(PageHistoryQuerySchema, location="query", as_kwargs=False)
@blp.response(200, PageHistorySchema)
@blp.alt_response(401, schema=ProblemSchema, content_type=_PROBLEM, description="Missing or unknown API key")
@blp.alt_response(403, schema=ProblemSchema, content_type=_PROBLEM, description="The key lacks the audit scope")
@blp.alt_response(422, schema=ProblemSchema, content_type=_PROBLEM, description="Missing or invalid url")
@blp.alt_response(429, schema=ProblemSchema, content_type=_PROBLEM, description="Rate limit; see Retry-After")
@blp.alt_response(503, schema=ProblemSchema, content_type=_PROBLEM, description="Redis does not answer")
def page_history(query: dict[str, Any]):
    """This tenant's audits of a page (by canonical URL, or the URL audited), newest first, with score, grade,
    rules version and time; an unknown page has an empty list (another tenant's audits are never listed)."""
    service: AuditService = current_app.extensions["healthgeo.audits"]
    try:
        key, items = service.page_history(query["url"], current_identity())
    except StoreUnavailable:
        raise ApiError(503, "storage-unavailable", "History cannot be read: Redis does not answer.",
                       title="Storage unavailable", headers={"Retry-After": "5"}) from None
    return json_response({"url": key, "items": items}, 200, {"Cache-Control": "private, no-cache"})
