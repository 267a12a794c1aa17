"""Every problem the API gives, in English and French (?lang=, Accept-Language, HEALTHGEO_LANG), with
Content-Language; a page answering 4xx is a 422 naming its status; GET / leads to /docs; the OpenAPI document
names its schemas."""

from __future__ import annotations

import json
import socket

import pytest

from service.messages import catalogue
from service.net.policy import FetchPolicy
from tests.test_api import LOCAL, api_key, auth, make_app  # noqa: F401 (fixtures)

# A French detail identical to the English one is untranslated, unless it is only codes and proper nouns.
_SAME_IN_BOTH = set()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _requests(base: str, closed: int):
    """(expected status, slug, method, path, json, headers, data) — at least one request a problem slug."""
    return [
        (404, None, "get", "/nowhere", None, {}, None),
        (405, None, "delete", "/v1/audits", None, {}, None),
        (415, "unsupported-media-type", "post", "/v1/audits", None, {"Content-Type": "text/plain"}, b"x"),
        (422, "invalid-fields", "post", "/v1/audits", {"url": 3}, {}, None),
        (422, "invalid-fields", "post", "/v1/audits", [1], {}, None),
        (422, "invalid-fields", "post", "/v1/audits", None, {"Content-Type": "text/html"}, b"  "),
        (422, "not-html", "post", "/v1/audits", {"html": "just words"}, {}, None),
        (400, "malformed-json", "post", "/v1/audits", None, {"Content-Type": "application/json"}, b"{oops"),
        (400, "json-too-deep", "post", "/v1/audits", None, {"Content-Type": "application/json"},
         b'{"a":' * 200 + b"1" + b"}" * 200),
        (404, "audit-not-found", "get", "/v1/audits/a_unknown", None, {}, None),
        (404, "batch-not-found", "get", "/v1/batches/b_unknown", None, {}, None),
        (422, "invalid-fields", "post", "/v1/audits", {"url": "example.org/page"}, {}, None),
        (422, "invalid-fields", "post", "/v1/audits", {"url": "ftp://example.org/"}, {}, None),
        (422, "bad-url", "post", "/v1/audits", {"url": "http:///nohost"}, {}, None),
        (422, "blocked-address", "post", "/v1/audits", {"url": "http://10.0.0.1/"}, {}, None),
        (422, "page-http-error", "post", "/v1/audits", {"url": base + "/missing"}, {}, None),
        (422, "not-html", "post", "/v1/audits", {"url": base + "/text"}, {}, None),
        (502, "upstream-error", "post", "/v1/audits", {"url": base + "/broken"}, {}, None),
        (502, "upstream-error", "post", "/v1/audits", {"url": f"http://127.0.0.1:{closed}/"}, {}, None),
    ]


def _ask(client, method, path, body, headers, data, lang_headers, query=""):
    kwargs = {"headers": {**headers, **lang_headers}}
    if body is not None:
        kwargs["json"] = body
    if data is not None:
        kwargs["data"] = data
    return getattr(client, method)(path + query, **kwargs)


def test_every_problem_in_english_and_french(make_app, auth, httpserver):  # noqa: F811
    client = make_app(FETCH_POLICY=LOCAL).test_client()
    base = f"http://127.0.0.1:{httpserver.port}"
    httpserver.expect_request("/missing").respond_with_data("gone", status=404)
    httpserver.expect_request("/text").respond_with_data("plain", content_type="text/plain")
    httpserver.expect_request("/broken").respond_with_data("oops", status=500)
    for status, slug, method, path, body, headers, data in _requests(base, _closed_port()):
        answers = {}
        for lang, lang_headers, query in (("en", {}, ""), ("fr", {"Accept-Language": "fr-FR,fr;q=0.9"}, ""),
                                          ("fr", {}, "?lang=fr")):
            r = _ask(client, method, path, body, {**headers, **auth}, data, lang_headers, query)
            assert r.status_code == status, (path, r.get_data(as_text=True)[:300])
            assert r.headers["Content-Language"] == lang
            problem = r.get_json(force=True)
            if slug:
                assert problem["type"].endswith("/" + slug), problem
            for member in ("title", "detail"):
                assert "_Pinned" not in problem[member] and "Error(" not in problem[member], problem
            answers[lang] = problem
        en, fr = answers["en"], answers["fr"]
        assert fr["detail"] != en["detail"] and fr["title"] != en["title"], (path, en, fr)


def test_page_answering_404_is_a_422_naming_its_status(make_app, auth, httpserver):  # noqa: F811
    client = make_app(FETCH_POLICY=LOCAL).test_client()
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    r = client.post("/v1/audits", json={"url": f"http://127.0.0.1:{httpserver.port}/gone"}, headers=auth)
    problem = r.get_json(force=True)
    assert r.status_code == 422 and problem["type"].endswith("/page-http-error")
    assert problem["page_status"] == 404 and "HTTP 404" in problem["detail"]


def test_refused_connection_reads_cleanly(make_app, auth):  # noqa: F811
    client = make_app(FETCH_POLICY=LOCAL).test_client()
    r = client.post("/v1/audits", json={"url": f"http://127.0.0.1:{_closed_port()}/"}, headers=auth)
    text = r.get_data(as_text=True)
    assert r.status_code == 502 and "_Pinned" not in text and "HTTPConnection" not in text
    assert "refused" in r.get_json()["detail"]


def test_url_without_a_scheme_says_add_https(make_app, auth):  # noqa: F811
    client = make_app(FETCH_POLICY=FetchPolicy()).test_client()
    r = client.post("/v1/audits", json={"url": "www.example.org/asthma"}, headers=auth)
    assert r.status_code == 422
    assert "add https://" in r.get_json()["errors"][0]["message"]


def test_default_language_setting(make_app, auth):  # noqa: F811
    client = make_app(LANG="fr").test_client()
    r = client.get("/v1/audits/a_unknown", headers=auth)
    assert r.headers["Content-Language"] == "fr"
    assert r.get_json()["title"] == catalogue("fr")["audit-not-found"]["title"]
    r = client.get("/v1/audits/a_unknown", headers={**auth, "Accept-Language": "en"})
    assert r.headers["Content-Language"] == "en"


def test_home_leads_to_the_docs(make_app):  # noqa: F811
    r = make_app().test_client().get("/")
    assert r.status_code == 302 and r.headers["Location"].rstrip("/").endswith("/docs")


def test_openapi_names_its_schemas_and_licence(make_app):  # noqa: F811
    spec = make_app().test_client().get("/openapi.json").get_json()
    assert "`" not in json.dumps(spec)
    assert spec["info"]["license"]["name"] and "see the project" not in spec["info"]["license"]["name"]
    assert spec["info"]["contact"]["name"]
    forms = spec["components"]["schemas"]["AuditRequest"]["oneOf"]
    names = [f["$ref"].rsplit("/", 1)[1] for f in forms]
    assert names == ["AuditByUrl", "AuditOfHtml"]
    assert all(spec["components"]["schemas"][n]["title"] for n in names)


@pytest.mark.parametrize("key", sorted(k for k, v in catalogue("en").items() if isinstance(v, dict)))
def test_every_problem_is_translated(key):
    assert catalogue("fr")[key]["detail"] != catalogue("en")[key]["detail"] or key in _SAME_IN_BOTH
