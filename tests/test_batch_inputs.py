"""What a batch is given: callback URLs that can never be delivered, pages on blocked addresses, sitemap caps.

Real Redis (tests/redis_helper.py); DNS is faked and pages are served from 127.0.0.1: nothing reaches the internet.
"""

from __future__ import annotations

import gzip
import socket

import pytest

from service.api.app import create_app
from service.api.auth.keys import create_key
from service.net.discovery import MAX_SITEMAP_BYTES, MAX_URLS_PER_SITEMAP, read_sitemaps
from service.net.policy import FetchPolicy
from tests.test_api import assert_problem

SECRET = "a-webhook-secret-of-some-length"
PUBLIC_HOOKS = "93.184.216.34"  # what the fake DNS gives hooks.example.org: a public address


@pytest.fixture
def fake_dns(monkeypatch):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "hooks.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_HOOKS, port or 443))]
        if host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def client(env, fake_dns):
    policy = FetchPolicy(allow=("127.0.0.1:8080",))  # one service of this machine opened, nothing else
    return create_app({**env.config_overrides(), "FETCH_POLICY": policy, "TESTING": True}).test_client()


@pytest.fixture
def auth(env) -> dict[str, str]:
    key, _ = create_key(env.conn, "tester", env.prefix)
    return {"Authorization": f"Bearer {key}"}


def _batch(callback_url: str) -> dict:
    return {"urls": ["https://clinic.example/asthma"], "callback_url": callback_url, "callback_secret": SECRET}


# --------------------------------------------------------------------------- callback_url


@pytest.mark.parametrize("callback_url, reason", [
    ("http://10.0.0.5/hook", "non-public address"),
    ("http://127.0.0.1:6379/", "non-public address"),  # allowed host, but not that port
    ("http://169.254.169.254/latest/", "non-public address"),
    ("https://hooks.invalid/x", "cannot be resolved"),
    ("https://user:pass@hooks.example.org/x", "absolute http or https URL"),
])
def test_undeliverable_callback_url_is_refused_at_creation(client, auth, env, callback_url, reason):
    r = client.post("/v1/batches", json=_batch(callback_url), headers=auth)
    body = assert_problem(r, 422, "callback-undeliverable")
    assert reason in body["detail"]
    assert body["errors"][0]["field"] == "callback_url" and reason in body["errors"][0]["message"]
    assert not list(env.conn.scan_iter(match=f"{env.prefix}:batch:*"))  # nothing stored, nothing queued


def test_bad_scheme_callback_is_refused_by_the_schema(client, auth):
    body = assert_problem(client.post("/v1/batches", json=_batch("ftp://hooks.example.org/x"), headers=auth), 422)
    assert body["errors"][0]["field"] == "callback_url"


def test_deliverable_callback_urls_are_accepted(client, auth):
    for url in ("https://hooks.example.org/healthgeo", "http://127.0.0.1:8080/hook"):
        r = client.post("/v1/batches", json=_batch(url), headers=auth)
        assert r.status_code == 202, r.json
        assert r.json["callback_url"] == url


def test_undeliverable_callback_problem_in_french(client, auth):
    r = client.post("/v1/batches", json=_batch("https://hooks.invalid/x"), headers={**auth, "Accept-Language": "fr"})
    body = assert_problem(r, 422, "callback-undeliverable")
    assert body["title"] == "L’URL de rappel ne pourra jamais être appelée"
    assert "ne peut pas être résolu (hooks.invalid)" in body["detail"]


# --------------------------------------------------------------------------- blocked addresses


def test_a_page_on_a_blocked_address_is_recorded_as_blocked_address(env, httpserver):
    from service.batches.exports import csv_chunks
    from service.batches.jobs import run_discovery, run_pages
    from service.batches.queries import iter_records, progress
    from service.batches.service import create_batch

    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    httpserver.expect_request("/ok").respond_with_data("<html><body><p>ok</p></body></html>",
                                                        content_type="text/html")
    ok, private = httpserver.url_for("/ok"), httpserver.url_for("/private/x")
    blocked = "http://10.1.2.3/conditions/asthma"
    batch = create_batch(env.rt, {"urls": [ok, blocked, private]})
    run_discovery(env.rt, batch["id"])
    run_pages(env.rt, batch["id"], [[ok, 0], [blocked, 0]])
    records = {r["url"]: r for r in iter_records(env.rt, batch["id"])}
    assert records[blocked]["state"] == "failed"
    assert records[blocked]["error"]["code"] == "blocked-address"
    assert records[private]["error"]["code"] == "robots-disallowed"  # the site's own robots.txt still counts
    counts = progress(env.rt, batch["id"])["counts"]
    assert counts["skipped_robots"] == 1 and counts["failed"] == 1 and counts["done"] == 1
    csv = "".join(csv_chunks(iter_records(env.rt, batch["id"])))
    blocked_row = next(line for line in csv.splitlines() if line.startswith(blocked))
    assert ",blocked-address," in blocked_row and "robots" not in blocked_row


# --------------------------------------------------------------------------- sitemap caps


def _urlset(count: int, path_length: int = 1) -> bytes:
    pad = "x" * path_length
    entries = "".join(f"<url><loc>https://clinic.example/{pad}{i}</loc></url>" for i in range(count))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()


@pytest.mark.parametrize("count, error", [(MAX_URLS_PER_SITEMAP, None), (MAX_URLS_PER_SITEMAP + 1, "too-many-urls")])
def test_sitemap_url_cap_at_the_protocol_boundary(count, error):
    body = _urlset(count)
    res = read_sitemaps(["https://clinic.example/sitemap.xml"], lambda url: (200, body, "application/xml"),
                        limit=10**6)
    assert len(res.pages) == MAX_URLS_PER_SITEMAP
    assert [e["code"] for e in res.errors] == ([error] if error else [])
    assert res.sitemaps[0]["entries"] == count


def test_sitemap_size_cap_at_the_protocol_boundary():
    urls = _urlset(1000)
    head, tail = urls[:-len(b"</urlset>")], b"</urlset>"
    room = MAX_SITEMAP_BYTES - len(head) - len(tail)
    filler = b"<!-- x -->" * (room // 10) + b" " * (room % 10)  # many small nodes, as a real file has
    for extra, error in ((0, []), (1, ["too-large"])):
        body = gzip.compress(head + filler + b" " * extra + tail, compresslevel=1)
        assert len(gzip.decompress(body)) == MAX_SITEMAP_BYTES + extra
        res = read_sitemaps(["https://clinic.example/s.xml.gz"], lambda url, b=body: (200, b, "application/gzip"),
                            limit=10)
        assert [e["code"] for e in res.errors] == error


def test_sitemap_between_20_and_50_mb_is_read_by_a_batch(env, httpserver):
    """The fetcher's page limit (20 MB decoded) does not apply to sitemaps: the protocol allows 50 MB."""
    from service.batches.jobs import _sitemap_getter

    body = _urlset(MAX_URLS_PER_SITEMAP, path_length=460)
    assert 21 * 2**20 < len(body) < MAX_SITEMAP_BYTES
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        gzip.compress(body, compresslevel=1), content_type="application/xml", headers={"Content-Encoding": "gzip"})
    res = read_sitemaps([httpserver.url_for("/sitemap.xml")], _sitemap_getter(env.rt, "b_test"), limit=10**6)
    assert res.errors == [] and len(res.pages) == MAX_URLS_PER_SITEMAP
