"""Property-based API tests from /openapi.json with schemathesis (runs with the rest of the suite).

Every operation gets up to MAX_EXAMPLES generated requests (valid and invalid) through the WSGI
app, with a valid API key; each response must not be a 5xx and must conform to the document
(status code, content type, headers, body schema).

Excluded: schemathesis' "positive data acceptance" check.  Some rules cannot be written in
JSON Schema (an html string must look like HTML; a URL must be fetchable), so schema-valid
requests may rightly get a documented 422.

Generated URLs are never fetched from the network: the fetcher is replaced by a stub that
serves a fixture page for any address, so random hosts cost nothing and reach no one.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a dev dependency")
from hypothesis import HealthCheck, assume, settings  # noqa: E402
from schemathesis.checks import positive_data_acceptance  # noqa: E402

from service.api.app import create_app  # noqa: E402
from service.api.auth.keys import create_key  # noqa: E402
from service.net.errors import FetchError  # noqa: E402
from service.net.policy import FetchPolicy  # noqa: E402
from tests import redis_helper  # noqa: E402
from tests.conftest import fixture_html  # noqa: E402

MAX_EXAMPLES = 25
PAGE = fixture_html("en_mixed_article.html")


class _StubbedAudits:
    """Wraps the app's AuditService: URL audits get a fixture page instead of a network fetch."""

    def __init__(self, service):
        self.service = service

    def load_url(self, url: str):
        if "blocked" in url:
            from service.audits.service import fetch_error_to_api_error

            raise fetch_error_to_api_error(FetchError("blocked-address", "10.0.0.1 is private (not allowed)", url=url))
        fetch_info = {"status": 200, "final_url": url, "redirects": [], "x_robots_tag": [],
                      "content_type": "text/html", "elapsed_ms": 1}
        return PAGE, url, "utf-8", fetch_info, None


PREFIX = redis_helper.new_prefix()
QUEUE = "hgtest-q-" + PREFIX  # batches created here are queued where no worker listens, then cleaned up
APP = create_app({"REDIS_URL": redis_helper.redis_url(), "KEY_PREFIX": PREFIX, "TESTING": True,
                  "RATE_LIMIT": "100000/minute", "AUTH_FAIL_LIMIT": "100000/minute", "FETCH_POLICY": FetchPolicy(),
                  "BATCH_QUEUE": QUEUE})
APP.extensions["healthgeo.audits"].load_url = _StubbedAudits(APP.extensions["healthgeo.audits"]).load_url
_r = redis_helper.client()
KEY, _ = create_key(_r, "schemathesis", PREFIX)
_r.close()
AUTH = {"Authorization": f"Bearer {KEY}"}

schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)
# A body over HEALTHGEO_MAX_BODY (e.g. more urls than a batch may hold, each thousands of characters long) is
# refused before validation, with a 413: a rejection too.
schema.config.checks.negative_data_rejection.expected_statuses.append("413")


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    from tests.batch_helpers import cleanup_rq

    client = redis_helper.client()
    cleanup_rq(client, QUEUE, PREFIX)
    client.close()
    redis_helper.cleanup(PREFIX)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_conforms_to_its_openapi_document(case):
    # A query parameter whose value is null or an empty list cannot be written in a URL: the client drops it,
    # so a "negative" case made of such an extra parameter reaches the server as a valid request.
    assume(not any(v is None or v == [] for v in (case.query or {}).values()))
    case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])
