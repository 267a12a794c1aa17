"""Each check on small English and French pages of our own: pass and fail cases."""

from __future__ import annotations

import pytest

from scoring import audit_html, catalogue
from scoring.checks.base import REGISTRY
from scoring.weights import CHECK_WEIGHTS

from .conftest import audited, check_result

EN_GOOD, EN_POOR = "en_good_article.html", "en_poor_article.html"
FR_GOOD, FR_POOR, FR_RECIPE = "fr_good_article.html", "fr_poor_article.html", "fr_recipe.html"
EN_MIXED = "en_mixed_article.html"  # a decent page with the middle-ground faults

# check id -> {fixture: expected status}
EXPECTED = {
    "sourcing.authoritative-citations": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "sourcing.references-section": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail",
                                     FR_RECIPE: "not_applicable"},
    "sourcing.citations-near-claims": {EN_GOOD: "pass", FR_GOOD: "pass", EN_MIXED: "warn", FR_POOR: "fail"},
    "sourcing.sourced-statistics": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "sourcing.attributed-quotations": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "sourcing.weak-sources": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "authorship.author-named": {EN_GOOD: "pass", FR_GOOD: "pass", FR_POOR: "fail"},
    "authorship.author-credentials": {EN_GOOD: "pass", FR_GOOD: "pass", EN_MIXED: "fail",
                                      FR_RECIPE: "not_applicable"},
    "authorship.author-profile": {EN_GOOD: "pass", FR_GOOD: "pass", EN_MIXED: "fail", FR_POOR: "not_applicable"},
    "authorship.reviewer-named": {EN_GOOD: "pass", FR_GOOD: "pass", FR_POOR: "fail",
                                  FR_RECIPE: "not_applicable"},
    "authorship.review-date": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "authorship.markup-person": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", EN_MIXED: "fail"},
    "structure.single-h1": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn"},
    "structure.heading-levels": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn"},
    "structure.subheadings": {EN_GOOD: "pass", FR_GOOD: "pass", FR_POOR: "fail"},
    "structure.question-headings": {EN_GOOD: "pass", FR_GOOD: "pass", EN_MIXED: "warn"},
    "structure.summary": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn"},
    "structure.lists-tables": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", FR_POOR: "warn"},
    "structure.paragraph-length": {EN_GOOD: "pass", FR_GOOD: "pass", EN_MIXED: "warn"},
    "structure.sentence-length": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", EN_MIXED: "warn"},
    "structure.readability": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "structure.title": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", FR_POOR: "warn"},
    "structure.meta-description": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "structure.lang-attribute": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "warn"},
    "markup.page-type": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", FR_POOR: "fail", FR_RECIPE: "pass"},
    "markup.health-properties": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail",
                                 FR_POOR: "not_applicable"},
    "markup.jsonld-syntax": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "not_applicable"},
    "markup.schema-valid": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "not_applicable"},
    "markup.consistent-with-page": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail"},
    # fail cases on tests/fixtures/rich_results/ (test_rich_results.py)
    "markup.rich-results": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", FR_POOR: "not_applicable"},
    "trust.sponsorship-disclosure": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "trust.conflict-of-interest": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", FR_POOR: "warn"},
    "trust.medical-disclaimer": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail",
                                 FR_RECIPE: "not_applicable"},
    "trust.contact-about": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "trust.privacy-policy": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail", FR_POOR: "fail"},
    "trust.visible-dates": {EN_GOOD: "pass", FR_GOOD: "pass", FR_POOR: "fail", EN_POOR: "warn"},
    "trust.prescription-promotion": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn", FR_POOR: "warn"},
    "trust.snippet-access": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "fail"},
    # French rules pass in French only: each rule's pass/fail/not-applicable cases are in tests/test_compliance.py
    "compliance.pharmacovigilance": {EN_GOOD: "not_applicable", FR_GOOD: "not_applicable"},
    "compliance.legal-notice": {FR_GOOD: "pass", FR_POOR: "fail", EN_GOOD: "not_applicable"},
    "compliance.medicine-advertising": {FR_GOOD: "not_applicable", FR_POOR: "not_applicable"},
    "access.ai-crawlers": {EN_GOOD: "not_applicable"},
    "access.search-crawlers": {EN_GOOD: "not_applicable"},
    "access.llms-txt": {EN_GOOD: "not_applicable"},
    # hygiene: every outcome and threshold on pages of their own in tests/test_hygiene.py (tests/fixtures/hygiene)
    "hygiene.canonical": {EN_GOOD: "pass", FR_GOOD: "pass", EN_POOR: "warn"},
    "hygiene.hreflang": {EN_GOOD: "not_applicable"},
    "hygiene.social-cards": {EN_GOOD: "pass", FR_GOOD: "pass", FR_POOR: "fail"},
    "hygiene.image-alt": {EN_GOOD: "not_applicable"},
    "hygiene.link-texts": {EN_GOOD: "pass", FR_GOOD: "pass", FR_RECIPE: "not_applicable"},
    # tests/test_access_render.py covers them with rendering, probes and application shells
    "access.server-rendered": {EN_GOOD: "not_applicable", FR_GOOD: "not_applicable"},
    "access.bot-responses": {EN_GOOD: "not_applicable"},
}


CASES = [(check_id, name, status) for check_id, table in EXPECTED.items() for name, status in table.items()]


@pytest.mark.parametrize(("check_id", "fixture", "status"), CASES, ids=[f"{c}-{f}" for c, f, _ in CASES])
def test_check_outcome(check_id: str, fixture: str, status: str) -> None:
    result = check_result(audited(fixture), check_id)
    assert result["status"] == status, result


def test_every_check_is_tested_with_pass_and_fail_or_warn() -> None:
    assert set(EXPECTED) == set(REGISTRY)
    for check_id, table in EXPECTED.items():
        if check_id.startswith(("access.", "hygiene.", "compliance.")):
            continue  # access: covered with robots.txt facts below
            # hygiene: in tests/test_hygiene.py; compliance: in tests/test_compliance.py
        assert "pass" in table.values(), check_id
        assert {"fail", "warn"} & set(table.values()), check_id
        langs = {name[:2] for name, status in table.items() if status == "pass"}
        assert langs == {"en", "fr"}, f"{check_id} passes in both languages"


def test_every_check_has_weight_metadata_and_explains_itself() -> None:
    assert set(CHECK_WEIGHTS) == set(REGISTRY)
    for item in catalogue():
        assert item["title"] and item["how_to_fix"] and item["weight"] > 0
    for item in audited(EN_POOR)["checks"]:
        assert item["message"] and "{" not in item["message"], item
        if item["status"] in ("fail", "warn"):
            assert item["how_to_fix"]


def _access(blocked: set[str], llms: bool) -> dict:
    from service.net.robots import crawler_access

    robots_txt = "".join(f"User-agent: {agent}\nDisallow: /\n\n" for agent in sorted(blocked))
    return {"robots": crawler_access(robots_txt or None, "https://www.example-health.org/page"), "llms_txt": llms}


@pytest.mark.parametrize(("blocked", "llms", "expected"), [
    (set(), True, {"access.ai-crawlers": "pass", "access.search-crawlers": "pass", "access.llms-txt": "pass"}),
    ({"GPTBot"}, False, {"access.ai-crawlers": "warn", "access.llms-txt": "warn"}),
    ({"GPTBot", "OAI-SearchBot", "ChatGPT-User", "PerplexityBot", "ClaudeBot", "Claude-SearchBot",
      "Google-Extended", "CCBot", "Applebot-Extended", "meta-externalagent", "Googlebot"}, False,
     {"access.ai-crawlers": "fail", "access.search-crawlers": "fail"}),
])
def test_access_checks(blocked: set[str], llms: bool, expected: dict) -> None:
    from .conftest import fixture_html

    for name in (EN_GOOD, FR_GOOD):
        report = audit_html(fixture_html(name), access=_access(blocked, llms))
        for check_id, status in expected.items():
            assert check_result(report, check_id)["status"] == status


def test_scores_order_good_above_poor_and_grade() -> None:
    good, poor = audited(EN_GOOD), audited(EN_POOR)
    assert good["score"] >= 80 and good["grade"] in "AB"
    assert poor["score"] < 50 and poor["grade"] == "F"
    assert audited(FR_GOOD)["score"] > audited(FR_POOR)["score"] + 30
    for name, cat in good["categories"].items():
        if name not in ("access", "compliance"):
            assert cat["score"] is not None and 0 <= cat["score"] <= 100
    assert good["categories"]["access"]["score"] is None  # not fetched by URL: not counted
    assert good["categories"]["compliance"]["score"] is None  # English, names no medicine: no rule applies


@pytest.mark.parametrize(("box_class", "found"), [
    ("c-key_takeaways", True), ("encadre-en-bref", True), ("summaryBox", True),
    ("article-sidebar", False), ("monkey-business", False),
])
def test_summary_box_is_found_by_its_class_name_alone(box_class: str, found: bool) -> None:
    lead = "Les points importants à connaître avant de consulter votre médecin traitant."
    html = (f'<html lang="fr"><body><main><h1>Grippe</h1><div class="{box_class}"><ul><li>{lead}</li>'
            f"<li>Le vaccin est recommandé aux plus de 65 ans.</li></ul></div><h2>Symptômes</h2>"
            f"<p>{'La grippe donne de la fièvre et des courbatures. ' * 8}</p></main></body></html>")
    summary = audit_html(html)["facts"]["summary"]
    assert (summary is not None and summary["label"] == box_class) is found


@pytest.mark.parametrize("label", ["Cet article contient des liens affiliés.", "Publicité", "Paid partnership"])
def test_sponsorship_label_is_found_anywhere_in_the_article(label: str) -> None:
    prose = "<p>La vitamine D aide à fixer le calcium sur les os et se trouve dans les poissons gras.</p>" * 30
    html = f'<html lang="fr"><body><main><h1>Vitamine D</h1>{prose}<p>{label}</p>{prose}</main></body></html>'
    assert label.rstrip(".") in audit_html(html)["facts"]["disclosures"]["sponsorship_label"]
