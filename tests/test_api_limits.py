"""Request bodies capped however they arrive (Content-Length, chunked, gzip, deflate), deep JSON bodies, and the
per-audit time budget, through Flask's test client on a real Redis.

A chunked body is what gunicorn hands over: no ``CONTENT_LENGTH``, ``wsgi.input_terminated`` set (werkzeug's test
client would fill in a length: :data:`CHUNKED` blanks it).
"""

from __future__ import annotations

import gzip
import io
import json
import time
import zlib

import pytest

import scoring
from service.api.routes.bodies import MAX_JSON_DEPTH, json_depth_exceeds
from tests.conftest import fixture_html
from tests.test_api import api_key, assert_problem, auth, make_app  # noqa: F401 - fixtures

CAP = 64 * 1024
CHUNKED = {"wsgi.input_terminated": True, "CONTENT_LENGTH": ""}
EN_PAGE = fixture_html("en_good_article.html")
FR_PAGE = fixture_html("fr_good_article.html")


def page_of_size(page: bytes, size: int) -> bytes:
    """``page`` padded to exactly ``size`` bytes with blank lines before ``</html>`` (its audit is unchanged)."""
    assert len(page) < size
    head, tail = page.rsplit(b"</html>", 1)
    return head + b"\n" * (size - len(page)) + b"</html>" + tail


class CountingStream(io.BytesIO):
    """An input stream that remembers how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.consumed = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.consumed += len(data)
        return data


@pytest.fixture
def client(make_app):  # noqa: F811
    return make_app(MAX_BODY=CAP).test_client()


def post_chunked(client, body: bytes, auth: dict, *, ctype: str = "text/html", encoding: str | None = None,  # noqa: F811
                 query: str = ""):
    stream = CountingStream(body)
    headers = {**auth, "Content-Type": ctype, "Transfer-Encoding": "chunked"}
    if encoding:
        headers["Content-Encoding"] = encoding
    resp = client.post("/v1/audits" + query, input_stream=stream, headers=headers, environ_overrides=CHUNKED)
    return resp, stream


# --------------------------------------------------------------------------- chunked


def test_chunked_body_over_the_cap_is_413_and_read_no_further(client, auth):  # noqa: F811
    resp, stream = post_chunked(client, page_of_size(EN_PAGE, 6 * CAP), auth)
    body = assert_problem(resp, 413, "body-too-large")
    assert f"{CAP:,} bytes" in body["detail"]
    assert stream.consumed <= CAP + 64 * 1024  # one read past the cap at most, not the whole body


def test_chunked_body_one_byte_over_the_cap_is_413(client, auth):  # noqa: F811
    assert_problem(post_chunked(client, page_of_size(EN_PAGE, CAP + 1), auth)[0], 413, "body-too-large")


def test_chunked_body_at_the_cap_is_audited(client, auth):  # noqa: F811
    resp, _ = post_chunked(client, page_of_size(EN_PAGE, CAP), auth)
    assert resp.status_code == 201, resp.data[:300]
    assert resp.get_json()["score"] == scoring.audit_html(EN_PAGE)["score"]


def test_chunked_json_body_over_the_cap_is_413(client, auth):  # noqa: F811
    body = json.dumps({"html": page_of_size(FR_PAGE, 2 * CAP).decode("utf-8")}).encode()
    assert_problem(post_chunked(client, body, auth, ctype="application/json")[0], 413, "body-too-large")


def test_content_length_over_the_cap_is_still_413(client, auth):  # noqa: F811
    resp = client.post("/v1/audits", data=page_of_size(EN_PAGE, CAP + 1), content_type="text/html", headers=auth)
    assert_problem(resp, 413, "body-too-large")


# --------------------------------------------------------------------------- compressed


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_body_under_the_cap_is_audited_like_the_plain_one(client, auth, encoding):  # noqa: F811
    page = page_of_size(FR_PAGE, CAP)
    packed = gzip.compress(page) if encoding == "gzip" else zlib.compress(page)
    resp = client.post("/v1/audits", data=packed, headers={**auth, "Content-Type": "text/html; charset=utf-8",
                                                           "Content-Encoding": encoding})
    assert resp.status_code == 201, resp.data[:300]
    assert resp.get_json()["score"] == scoring.audit_html(FR_PAGE)["score"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_body_one_byte_over_the_cap_decompressed_is_413(client, auth, encoding):  # noqa: F811
    page = page_of_size(EN_PAGE, CAP + 1)
    packed = gzip.compress(page) if encoding == "gzip" else zlib.compress(page)
    assert len(packed) < CAP // 4  # small on the wire: only the decompressed size is over
    resp = client.post("/v1/audits", data=packed, headers={**auth, "Content-Type": "text/html",
                                                           "Content-Encoding": encoding})
    assert_problem(resp, 413, "body-too-large")


def test_gzip_bomb_sent_chunked_is_413_without_inflating_it(client, auth):  # noqa: F811
    bomb = gzip.compress(b"<html><body><p>" + b" " * (200 * 1024 * 1024) + b"</p></body></html>", 9)
    resp, stream = post_chunked(client, bomb, auth, encoding="gzip")
    assert_problem(resp, 413, "body-too-large")
    assert stream.consumed < len(bomb)  # stopped at the cap: most of the bomb was never read


def test_raw_deflate_body_is_accepted(client, auth):  # noqa: F811
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    packed = packer.compress(EN_PAGE) + packer.flush()
    resp = client.post("/v1/audits", data=packed, headers={**auth, "Content-Type": "text/html",
                                                           "Content-Encoding": "deflate"})
    assert resp.status_code == 201, resp.data[:300]


def test_corrupt_gzip_is_400_in_the_asked_language(client, auth):  # noqa: F811
    packed = gzip.compress(EN_PAGE)
    broken = packed[:20] + bytes(b ^ 0xFF for b in packed[20:60]) + packed[60:]
    headers = {**auth, "Content-Type": "text/html", "Content-Encoding": "gzip"}
    body = assert_problem(client.post("/v1/audits", data=broken, headers=headers), 400, "malformed-body")
    assert "gzip" in body["detail"]
    truncated = client.post("/v1/audits?lang=fr", data=packed[: len(packed) // 2], headers=headers)
    body = assert_problem(truncated, 400, "malformed-body")
    assert "ne peut pas être décompressé" in body["detail"]


def test_unknown_content_encoding_is_415_naming_the_accepted_ones(client, auth):  # noqa: F811
    resp = client.post("/v1/audits", data=b"\x1b\x00junk", headers={**auth, "Content-Type": "text/html",
                                                                     "Content-Encoding": "br"})
    body = assert_problem(resp, 415, "unsupported-content-encoding")
    assert "br" in body["detail"]
    assert "gzip" in resp.headers["Accept-Encoding"]


# --------------------------------------------------------------------------- deep JSON


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_100000_deep_is_400_not_500(make_app, auth):  # noqa: F811
    client = make_app().test_client()  # the default 5 MB cap
    raw = '{"html": "<p>x</p>", "include": ' + nested(100_000) + "}"
    resp = client.post("/v1/audits", data=raw, content_type="application/json", headers=auth)
    body = assert_problem(resp, 400, "json-too-deep")
    assert str(MAX_JSON_DEPTH) in body["detail"]
    resp = client.post("/v1/batches?lang=fr", data=raw, content_type="application/json", headers=auth)
    assert "niveaux" in assert_problem(resp, 400, "json-too-deep")["detail"]


def test_json_depth_boundary(client, auth):  # noqa: F811
    at_limit = '{"include": ' + nested(MAX_JSON_DEPTH - 1) + "}"  # the object is the first level
    over = '{"include": ' + nested(MAX_JSON_DEPTH) + "}"
    resp = client.post("/v1/audits", data=at_limit, content_type="application/json", headers=auth)
    assert_problem(resp, 422, "invalid-fields")  # parsed, then refused by the schema
    resp = client.post("/v1/audits", data=over, content_type="application/json", headers=auth)
    assert_problem(resp, 400, "json-too-deep")


def test_json_depth_counts_arrays_and_objects_not_brackets_in_strings():
    html = "<style>" + "{" * 500 + "</style><p>[" * 300 + "</p>"
    assert not json_depth_exceeds({"html": html, "url": "https://example.org/a?b=[c]"})
    assert json_depth_exceeds(json.loads("[" * 65 + "]" * 65))
    assert not json_depth_exceeds(json.loads("[" * 64 + "]" * 64))
    assert json_depth_exceeds(json.loads('{"a": ' * 65 + "1" + "}" * 65))
    assert not json_depth_exceeds(json.loads("[" + ",".join(["[]"] * 100_000) + "]"))  # wide, not deep
    assert json_depth_exceeds([[]], 1) and not json_depth_exceeds([[]], 2)  # an empty array is a level too
    assert json_depth_exceeds({"a": {}}, 1) and not json_depth_exceeds({"a": {}, "b": [1]}, 2)


def test_json_depth_of_a_utf16_body(client, auth):  # noqa: F811
    raw = ('{"html": "<p>x</p>", "include": ' + nested(1_000) + "}").encode("utf-16")
    resp = client.post("/v1/audits", data=raw, content_type="application/json; charset=utf-16", headers=auth)
    assert_problem(resp, 400, "json-too-deep")


# --------------------------------------------------------------------------- time budget


def slow_engine(seconds: float):
    """An engine that spins in Python for ``seconds`` (as a pathological page would), then audits."""
    real = scoring.audit_page

    def audit_page(page, **kwargs):
        until = time.monotonic() + seconds
        n = 0
        while time.monotonic() < until:
            n += 1
        return real(page, **kwargs)

    return audit_page


def test_audit_over_its_budget_is_422_and_the_worker_goes_on(make_app, auth, monkeypatch):  # noqa: F811
    client = make_app(AUDIT_BUDGET=1.5).test_client()
    scoring.audit_html(FR_PAGE)  # what a first audit loads (the engine's lazy set-up) is not what is timed
    monkeypatch.setattr(scoring, "audit_page", slow_engine(60.0))
    started = time.monotonic()
    resp = client.post("/v1/audits", data=EN_PAGE, content_type="text/html", headers=auth)
    body = assert_problem(resp, 422, "audit-timeout")
    assert time.monotonic() - started < 30.0  # stopped by the budget, not by the end of the slow work (60 s)
    assert body["detail"].startswith("The page took longer than 1.5 s to audit")
    resp = client.post("/v1/audits?lang=fr", data=FR_PAGE, content_type="text/html", headers=auth)
    assert "plus de 1,5\u00a0s" in assert_problem(resp, 422, "audit-timeout")["detail"]
    monkeypatch.undo()
    assert client.post("/v1/audits", data=EN_PAGE, content_type="text/html", headers=auth).status_code == 201
    assert client.get("/healthz").status_code == 200
    assert 'healthgeo_audits_total{outcome="timeout",source="html"}' in client.get("/metrics").get_data(as_text=True)


def test_audit_within_its_budget_is_answered(make_app, auth, monkeypatch):  # noqa: F811
    client = make_app(AUDIT_BUDGET=30).test_client()  # far above the work, even with the engine's first set-up
    monkeypatch.setattr(scoring, "audit_page", slow_engine(0.2))
    resp = client.post("/v1/audits", data=FR_PAGE, content_type="text/html", headers=auth)
    assert resp.status_code == 201, resp.data[:300]


class BrokenChunks(io.BytesIO):
    """What the server's chunked reader does on a badly framed body: it raises."""

    def read(self, size: int | None = -1) -> bytes:
        raise ValueError("Invalid chunk size: 'zz'")


def test_a_badly_framed_chunked_body_is_400_not_500(client, auth):  # noqa: F811
    resp = client.post("/v1/audits", input_stream=BrokenChunks(), headers={**auth, "Content-Type": "text/html"},
                       environ_overrides=CHUNKED)
    body = assert_problem(resp, 400, "malformed-body")
    assert "Invalid chunk size" in body["detail"]
