"""The page report over HTTP and the ``lang`` option of the JSON endpoints (real Redis)."""

from __future__ import annotations

import pytest

from service.reports import CONTENT_SECURITY_POLICY
from tests.conftest import fixture_html
from tests.test_api import PROBLEM, api_key, app, assert_problem, auth, client, make_app  # noqa: F401 - fixtures (prefix comes from conftest)

PAGE = fixture_html("en_mixed_article.html")


@pytest.fixture
def audit_id(client, auth):  # noqa: F811
    resp = client.post("/v1/audits?url=https://example.org/allergies", data=PAGE,
                       headers={**auth, "Content-Type": "text/html"})
    assert resp.status_code in (200, 201), resp.data[:300]
    return resp.get_json()["id"]


def test_report_is_html_in_english_by_default(client, auth, audit_id):  # noqa: F811
    resp = client.get(f"/v1/audits/{audit_id}/report", headers=auth)
    assert resp.status_code == 200
    assert resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert '<html lang="en">' in html and "Page audit report" in html
    assert "Names a medical reviewer" in html and "No medical reviewer is named." in html
    assert resp.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert resp.headers["Vary"] == "Accept-Language"


def test_report_in_french_from_query_or_accept_language(client, auth, audit_id):  # noqa: F811
    by_query = client.get(f"/v1/audits/{audit_id}/report?lang=fr", headers=auth)
    by_header = client.get(f"/v1/audits/{audit_id}/report",
                           headers={**auth, "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    for resp in (by_query, by_header):
        html = resp.get_data(as_text=True)
        assert '<html lang="fr">' in html and "Rapport d’audit de page" in html
        assert "Aucun relecteur médical n’est nommé." in html
    assert "Vary" not in by_query.headers


def test_unsupported_language_means_english(client, auth, audit_id):  # noqa: F811
    resp = client.get(f"/v1/audits/{audit_id}/report?lang=de", headers={**auth, "Accept-Language": "fr"})
    assert '<html lang="en">' in resp.get_data(as_text=True)


def test_report_of_unknown_audit_is_a_404_problem(client, auth):  # noqa: F811
    assert_problem(client.get("/v1/audits/nope123/report", headers=auth), 404, "audit-not-found")
    assert_problem(client.get("/v1/audits/bad%20id/report?lang=fr", headers=auth), 404, "audit-not-found")


def test_report_needs_a_key(client, audit_id):  # noqa: F811
    assert_problem(client.get(f"/v1/audits/{audit_id}/report"), 401)


def test_json_audits_speak_the_requested_language(client, auth, audit_id):  # noqa: F811
    created = client.post("/v1/audits?lang=fr&url=https://example.org/allergies", data=PAGE,
                          headers={**auth, "Content-Type": "text/html"}).get_json()
    stored = client.get(f"/v1/audits/{audit_id}", headers={**auth, "Accept-Language": "fr"}).get_json()
    english = client.get(f"/v1/audits/{audit_id}", headers=auth).get_json()
    for body in (created, stored):
        assert body["lang"] == "fr"
        reviewer = next(c for c in body["checks"] if c["id"] == "authorship.reviewer-named")
        assert reviewer["title"] == "Nomme un relecteur médical"
        assert reviewer["message"] == "Aucun relecteur médical n’est nommé."
    reviewer = next(c for c in english["checks"] if c["id"] == "authorship.reviewer-named")
    assert english["lang"] == "en" and reviewer["message"] == "No medical reviewer is named."


def test_check_catalogue_in_french(client, auth):  # noqa: F811
    body = client.get("/v1/checks?lang=fr", headers=auth).get_json()
    assert body["lang"] == "fr"
    titles = {c["id"]: c["title"] for c in body["checks"]}
    assert titles["trust.medical-disclaimer"] == "Précise qu’elle ne remplace pas l’avis d’un professionnel de santé"
    assert client.get("/v1/checks", headers={**auth, "Accept-Language": "fr-CA"}).get_json()["lang"] == "fr"
    assert client.get("/v1/checks?lang=xx", headers=auth).get_json()["lang"] == "en"


def test_report_route_is_in_the_openapi_document(client):  # noqa: F811
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"]["/v1/audits/{audit_id}/report"]["get"]
    assert "text/html" in operation["responses"]["200"]["content"]
    assert "404" in operation["responses"]
    assert any(p["name"] == "lang" and p["in"] == "query" for p in operation["parameters"])
    checks = spec["paths"]["/v1/checks"]["get"]
    assert any(p["name"] == "lang" for p in checks["parameters"])


def test_unknown_query_option_is_a_422(client, auth, audit_id):  # noqa: F811
    body = assert_problem(client.get(f"/v1/audits/{audit_id}/report?langue=fr", headers=auth), 422, "invalid-fields")
    assert body["errors"][0]["field"] == "langue"
    assert_problem(client.get("/v1/checks?foo=1", headers=auth), 422, "invalid-fields")
