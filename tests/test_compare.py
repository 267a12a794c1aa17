"""Changes between two audits of a page and of a site: found, rendered in English and French."""

from __future__ import annotations

import re

import pytest

from scoring import audit_html
from scoring.compare import MIN_SCORE_DELTA, compare_reports, compare_sites, histogram, worst_drop
from scoring.i18n import comparison_lines
from tests.conftest import FIXTURES

URL = "https://www.example-health.org/conditions/high-blood-pressure"
GOOD = (FIXTURES / "pages" / "en_good_article.html").read_text(encoding="utf-8")
GOOD_FR = (FIXTURES / "pages" / "fr_good_article.html").read_text(encoding="utf-8")


def _without_reviewer(html: str) -> str:
    html = re.sub(r' \| Medically reviewed by <a href="/team/paul-smith">Paul Smith, MD, PhD</a> on March 1, 2026', "",
                  html)
    return re.sub(r'\n  "reviewedBy": \{[^\n]*\},', "", html)


def _changed(html: str) -> str:
    """The page after an edit: two sources removed and the JSON-LD broken (a stray brace)."""
    html = re.sub(r'<a href="https://www\.nice\.org\.uk/guidance/ng136">([^<]*)</a>', r"\1", html)
    html = re.sub(r'<a href="https://pubmed\.ncbi\.nlm\.nih\.gov/29133356/">([^<]*)</a>', r"\1", html)
    return html.replace('<script type="application/ld+json">\n{', '<script type="application/ld+json">\n{{', 1)


@pytest.fixture(scope="module")
def before_after():
    before = audit_html(_without_reviewer(GOOD), url=URL)
    after = audit_html(_changed(GOOD), url=URL)
    return before, after


def test_a_reviewer_added_two_citations_lost_and_broken_markup_are_each_found(before_after):
    before, after = before_after
    comparison = compare_reports(before, after, old_id="a1")
    codes = {c["code"]: c for c in comparison["facts"]}
    assert comparison["compared_to"] == "a1"
    assert codes["reviewers-added"]["params"] == {"name": "Paul Smith"}
    assert codes["citations-removed"]["params"] == {"count": 2}
    assert set(codes["citations-removed"]["values"]) == {"https://www.nice.org.uk/guidance/ng136",
                                                         "https://pubmed.ncbi.nlm.nih.gov/29133356/"}
    assert codes["markup-errors-changed"]["params"]["after"] > codes["markup-errors-changed"]["params"]["before"]
    assert "markup.jsonld-syntax" in comparison["checks"]["started_failing"]
    assert comparison["score"]["delta"] == round(after["score"] - before["score"], 1)
    assert not comparison["rules_changed"]


def test_the_comparison_reads_in_english_and_in_french(before_after):
    comparison = compare_reports(*before_after)
    english = comparison_lines(comparison, "en")
    french = comparison_lines(comparison, "fr")
    assert "Medical reviewer added: Paul Smith." in english
    assert "2 authoritative citations lost." in english
    assert "Relecteur médical ajouté\u00a0: Paul Smith." in french
    assert "2 sources de référence perdues." in french
    assert len(english) == len(french)
    assert not set(english) & set(french)


def test_same_page_twice_has_no_change():
    report = audit_html(GOOD_FR, url="https://www.exemple-sante.fr/maladies/diabete-type-2")
    comparison = compare_reports(report, report)
    assert comparison["facts"] == [] and comparison["checks"]["changed"] == []
    assert comparison["score"]["delta"] == 0
    assert comparison["fix"]["status"] in ("none-proposed", "not-applied")
    assert worst_drop(comparison) == 0


def test_a_changed_rules_version_is_said():
    report = audit_html(GOOD_FR, url="https://www.exemple-sante.fr/maladies/diabete-type-2")
    older = {**report, "rules_version": "2025.01+000000000000"}
    comparison = compare_reports(older, report)
    assert comparison["rules_changed"]
    assert any("Les règles ont changé" in line for line in comparison_lines(comparison, "fr"))
    assert any("The rules changed" in line for line in comparison_lines(comparison, "en"))


def test_the_fix_proposed_last_time_is_found_applied():
    before = audit_html(_without_reviewer(GOOD), url=URL)
    fixed_page = re.sub(r'<script type="application/ld\+json">.*?</script>', before["fix"]["script"],
                        _without_reviewer(GOOD), count=1, flags=re.S)
    after = audit_html(fixed_page, url=URL)
    progress = compare_reports(before, after)["fix"]
    assert progress["proposed"] > 0
    assert progress["status"] == "applied", progress["remaining"]


def _page(url: str, score: float, failing: tuple[str, ...] = ()) -> dict:
    return {"url": url, "score": score, "rules_version": "r1",
            "checks": [{"id": c, "status": "fail"} for c in failing]}


def test_site_comparison_finds_exactly_the_improved_and_regressed_pages():
    old = [_page(f"https://site.example/p{i}", 60.0, ("sourcing.references-section",)) for i in range(30)]
    new = []
    for i in range(30):
        if i < 10:
            new.append(_page(f"https://site.example/p{i}", 75.0))  # improved, no longer failing
        elif i < 15:
            failing = ("sourcing.references-section", "trust.visible-dates")
            new.append(_page(f"https://site.example/p{i}", 50.0, failing))
        else:
            new.append(_page(f"https://site.example/p{i}", 60.4, ("sourcing.references-section",)))  # noise
    new.append(_page("https://site.example/new", 90.0))
    site = compare_sites(old, new)
    assert {e["url"] for e in site["pages"]["improved"]} == {f"https://site.example/p{i}" for i in range(10)}
    assert {e["url"] for e in site["pages"]["regressed"]} == {f"https://site.example/p{i}" for i in range(10, 15)}
    assert site["pages"]["new"] == ["https://site.example/new"] and site["pages"]["gone"] == []
    assert {c["id"]: c["delta"] for c in site["checks"]} == {"sourcing.references-section": -10,
                                                             "trust.visible-dates": 5}
    assert site["histogram"]["before"][6] == 30 and sum(site["histogram"]["after"]) == 31
    assert worst_drop(site) == 10.0


@pytest.mark.parametrize(("after", "bucket"), [(60.0 + MIN_SCORE_DELTA, "improved"),
                                               (60.0 + MIN_SCORE_DELTA - 0.1, None),
                                               (60.0 - MIN_SCORE_DELTA, "regressed"),
                                               (60.0 - MIN_SCORE_DELTA + 0.1, None)])
def test_min_score_delta_boundary(after, bucket):
    site = compare_sites([_page("https://s.example/a", 60.0)], [_page("https://s.example/a", after)])
    found = [name for name in ("improved", "regressed") if site["pages"][name]]
    assert found == ([bucket] if bucket else [])


def test_histogram_bins_put_100_in_the_last_bin():
    assert histogram([0, 9.9, 10, 99.9, 100]) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]


def test_every_compare_message_exists_in_both_languages():
    from scoring.i18n import engine_messages, translation_problems

    assert translation_problems(engine_messages("en"), engine_messages("fr")) == []
