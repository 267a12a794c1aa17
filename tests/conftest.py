from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from tests.sitesim import sim_site  # noqa: F401 - fixture: the generated health site (tests/sitesim.py)

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@cache
def fixture_html(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()


@cache
def audited(name: str, url: str | None = None) -> dict:
    from scoring import audit_html

    return audit_html(fixture_html(name), url)


def check_result(report: dict, check_id: str) -> dict:
    for item in report["checks"]:
        if item["id"] == check_id:
            return item
    raise KeyError(check_id)


@pytest.fixture(scope="module")
def server():
    """A local HTTP server on 127.0.0.1 for the fetcher and robots tests (one per test module)."""
    from pytest_httpserver import HTTPServer

    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def prefix():
    """A Redis key prefix of the test's own, its keys deleted afterwards (see tests/redis_helper.py)."""
    from tests import redis_helper

    p = redis_helper.new_prefix()
    yield p
    redis_helper.cleanup(p)


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "pages").is_dir():
        pytest.skip("../shared is not available")
    return SHARED


@pytest.fixture
def env():
    """A batch environment on the test Redis with its own key prefix, closed (its keys deleted) after the test;
    a module that needs other settings defines its own ``env``."""
    from tests import redis_helper
    from tests.batch_helpers import BatchEnv

    e = BatchEnv(redis_helper.redis_url())
    yield e
    e.close()
