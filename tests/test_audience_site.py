"""The batch summary's audience split and compliance findings per section, its schema, and the site report's
table, in English and French (service/batches/audience_site.py, service/reports/audience_rows.py)."""

from __future__ import annotations

from schemas.batches import AudienceSummarySchema, PageRecordSchema
from scoring import audit_html
from service.batches.pages import page_record
from service.batches.summary import build_summary
from service.reports.site import render_site_report

from .conftest import FIXTURES

SITE = "https://labo.example.fr"
PAGES = {  # URL -> our fixture: a professional space and a public space
    f"{SITE}/professionnels/tadalafil": "audience/fr_professional_gated.html",
    f"{SITE}/professionnels/semaglutide": "audience/fr_professional_ungated.html",
    f"{SITE}/professionnels/presentation": "compliance/fr_pro_ad_no_visa.html",
    f"{SITE}/patients/hypertension": "audience/fr_public_patient.html",
    f"{SITE}/patients/paracetamol-promo": "compliance/fr_otc_ad_no_visa.html",
    f"{SITE}/patients/rougeole": "audience/fr_both.html",
}
BATCH = {"id": "b1", "state": "done", "mode": "urls", "start": SITE, "created_at": "2026-12-05T00:00:00Z",
         "counts": {"done": len(PAGES)}}


def _records() -> list[dict]:
    return [page_record(url, 1, audit_html((FIXTURES / name).read_bytes(), url), audit_id=None, fetch={})
            for url, name in PAGES.items()]


def _section(summary: dict, name: str) -> dict:
    return next(s for s in summary["audience"]["sections"] if s["section"] == name)


def test_records_carry_the_audience_and_match_their_schema() -> None:
    records = _records()
    # the promotion page shows no audience itself: its section (/patients/) says it is for the public
    assert [r["audience"] for r in records] == ["professionals", "professionals", "professionals", "public",
                                                "public", "both"]
    for record in records:
        assert PageRecordSchema().validate(record) == {}, record


def test_audience_split_and_compliance_findings_per_section() -> None:
    summary = build_summary(BATCH, _records())
    assert summary["audience"]["audience"] == {"professionals": 3, "public": 2, "both": 1, "unknown": 0}
    pro, public = _section(summary, "/professionnels/"), _section(summary, "/patients/")
    assert pro["audience"] == {"professionals": 3, "public": 0, "both": 0, "unknown": 0}
    assert pro["main_audience"] == "professionals" and public["pages"] == 3
    pro_findings = {f["id"]: f for f in pro["compliance"]}
    assert pro_findings["compliance.medicine-advertising"]["failed"] == 1          # the visa-less presentation
    assert pro_findings["compliance.medicine-advertising"]["applicable"] == 2      # the two advertisements
    assert pro_findings["compliance.legal-notice"] == {"id": "compliance.legal-notice", "failed": 1, "warned": 0,
                                                       "applicable": 3,
                                                       "pages": [f"{SITE}/professionnels/semaglutide"]}
    assert pro_findings["trust.prescription-promotion"]["warned"] == 1             # promoted without a gate
    public_findings = {f["id"]: f for f in public["compliance"]}
    assert public_findings["compliance.medicine-advertising"]["failed"] == 1
    assert "compliance.pharmacovigilance" in public_findings
    assert AudienceSummarySchema().validate(summary["audience"]) == {}


def test_records_without_an_audience_count_as_unknown() -> None:
    old = {"url": f"{SITE}/a", "state": "done", "section": "/", "score": 50.0, "grade": "E", "categories": {},
           "failed_checks": ["compliance.legal-notice"], "warned_checks": [], "na_checks": []}
    summary = build_summary(BATCH, [old])
    assert summary["audience"]["audience"]["unknown"] == 1
    # a record of older rules ran no compliance check: only what it says failed counts
    assert _section(summary, "/")["compliance"] == [{"id": "compliance.legal-notice", "failed": 1, "warned": 0,
                                                     "applicable": 1, "pages": [f"{SITE}/a"]}]


def test_site_report_shows_the_table_in_both_languages() -> None:
    summary = build_summary(BATCH, _records())
    french = render_site_report(summary, lang="fr")
    assert "Public visé et conformité par rubrique" in french and "/professionnels/" in french
    assert "Donne accès à ses mentions légales" in french and "Grand public" in french
    english = render_site_report(summary, lang="en")
    assert "Audience and compliance by section" in english and "Links to its legal notice" in english
    empty = render_site_report(build_summary(BATCH, []), lang="en")
    assert "Audience and compliance by section" not in empty
