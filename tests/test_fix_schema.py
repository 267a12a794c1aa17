"""The fix's documented shape (schemas/fix.py) holds for every fixture page, in English and French, and for the
API's answers: an integration can rely on the OpenAPI document."""

from __future__ import annotations

import pytest

from schemas import AuditReportSchema, FixSchema
from scoring.fix import fix_html
from scoring.i18n import localize_fix
from tests.conftest import FIXTURES
from tests.test_api import LOCAL, api_key, app, auth, client, make_app  # noqa: F401 (fixtures)

PAGES = sorted(FIXTURES.rglob("*.html"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fix_has_the_documented_shape(page):
    fix = fix_html(page.read_bytes(), "https://www.example.org/health/page")
    for lang in ("en", "fr"):
        assert FixSchema().validate(localize_fix(fix, lang)) == {}, lang


def test_a_fix_outside_the_contract_is_refused():
    fix = fix_html((FIXTURES / "fix" / "en_rdfa_article.html").read_bytes())
    removal = next(r for item in fix["unfixed"] for r in item.get("remove") or ())
    removal["line"] = "sixteen"
    fix["changes"][0]["action"] = "rewrite"
    errors = FixSchema().validate(fix)
    assert errors["changes"][0]["action"] and "unfixed" in errors


def test_the_api_answers_by_its_contract(client, auth):  # noqa: F811
    html = (FIXTURES / "fix" / "en_rdfa_article.html").read_text(encoding="utf-8")
    for query in ("", "?lang=fr"):
        r = client.post(f"/v1/audits{query}", json={"html": html, "url": "https://www.example.org/shingles"},
                        headers=auth)
        assert r.status_code in (200, 201), r.data[:300]  # the second is the cached audit, in French
        assert AuditReportSchema().validate(r.json) == {}
        assert any(item.get("remove") for item in r.json["fix"]["unfixed"])


def test_the_openapi_document_names_the_fix(client):  # noqa: F811
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert schemas["AuditReport"]["properties"]["fix"]
    for name in ("Fix", "FixChange", "FixMissing", "FixUnfixed", "MarkupRemoval"):
        assert name in schemas, sorted(schemas)
