"""The HTML reports as documents: content, escaping, offline, accessibility hooks, both languages."""

from __future__ import annotations

import copy
import json
import re

import pytest

from scoring import audit_html
from scoring.facts.sourcing.sources import KINDS
from scoring.i18n import translation_problems
from service.net.robots import AI_CRAWLERS
from service.reports import CONTENT_SECURITY_POLICY, render_page_report, render_site_report
from service.reports.env import SCRIPT, STYLE, ui_strings
from service.reports.page import sorted_problems
from tests.conftest import FIXTURES

SUMMARY = json.loads((FIXTURES / "reports" / "site_summary.json").read_text(encoding="utf-8"))


def _report(name: str, url: str = "https://example.org/page") -> dict:
    return audit_html((FIXTURES / "pages" / f"{name}.html").read_bytes(), url)


@pytest.fixture(scope="module")
def mixed() -> dict:
    return _report("en_mixed_article")


def _no_external_resources(html: str) -> None:
    assert not re.search(r"<(script|img|iframe|link|source|video|audio)\b[^>]*\s(src|href)=", html, re.I)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<link" not in html


def test_ui_strings_complete_in_french():
    assert translation_problems(ui_strings("en"), ui_strings("fr")) == []


def test_ui_strings_cover_every_source_kind_and_crawler_purpose():
    for lang in ("en", "fr"):
        assert set(ui_strings(lang)["kinds"]) == set(KINDS)
        assert {c.purpose for c in AI_CRAWLERS} <= set(ui_strings(lang)["purposes"])


def test_french_ui_typography():
    def strings(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        else:
            yield node
    for text in strings(ui_strings("fr")):
        assert not re.search(r"(?<![\u00a0\u202f])[:;?!](?=\s|$)", text), text
        assert "'" not in text, text


def test_page_report_content(mixed):
    html = render_page_report(mixed, lang="en")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<title>Page audit report – Seasonal allergies and how to manage them at home</title>" in html
    assert html.count('role="img"') == 2 and '<title id="gauge-t">Score 57 out of 100, grade E</title>' in html
    # failed checks come first, each with its message and how to fix
    first = html.index('class="check fail"')
    assert first < html.index('class="check warn"')
    assert "Names a medical reviewer" in html and "Have a health professional review the article" in html
    # the facts: author, dates, citations with kind and authority, readability
    assert "Tom Baker" in html and "April 2, 2026" in html
    assert "https://www.nhs.uk/conditions/hay-fever/" in html and "Health authority" in html
    assert "Flesch-Kincaid grade" in html
    # the proposed JSON-LD, escaped, with its copy button and live region
    assert "&lt;script type=&#34;application/ld+json&#34;&gt;" in html
    assert '<button type="button" class="copy"' in html and 'role="status" aria-live="polite"' in html
    _no_external_resources(html)


def test_page_report_in_french(mixed):
    html = render_page_report(mixed, lang="fr")
    assert '<html lang="fr">' in html and "Rapport d’audit de page" in html
    assert "Nomme un relecteur médical" in html and "Aucun relecteur médical n’est nommé." in html
    assert "2 avril 2026" in html and "Autorité sanitaire" in html and "Copier le JSON-LD" in html
    assert "Names a medical reviewer" not in html
    # where each person was found, in the reader's words (the facts say "byline", "markup")
    people = html[html.index("Auteurs et relecteurs"):html.index("<h3", html.index("Auteurs et relecteurs") + 1)]
    assert "dans la signature" in people and "byline" not in people
    assert "in the byline" in render_page_report(mixed, lang="en")


def test_page_values_are_escaped(mixed):
    report = copy.deepcopy(mixed)
    report["facts"]["title"] = "<script>alert(1)</script>"
    report["facts"]["authors"][0]["name"] = "<img src=x onerror=alert(1)>"
    report["facts"]["citations"][0]["url"] = "javascript:alert(1)"
    html = render_page_report(report, lang="en")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_every_fixture_renders_in_both_languages():
    for page in sorted((FIXTURES / "pages").glob("*.html")):
        report = _report(page.stem)
        for lang in ("en", "fr"):
            html = render_page_report(report, lang=lang)
            assert f'<html lang="{lang}">' in html and "{" not in re.sub(r"<(style|script|pre)[\s\S]*?</\1>", "", html)


def test_a_report_without_facts_or_fix_still_renders():
    report = audit_html("<html><body><p>Short.</p></body></html>", include=())
    html = render_page_report(report, lang="fr")
    assert "Aucun JSON-LD proposé pour cette page." in html


def test_problems_order():
    checks = [{"id": "a", "status": "warn", "weight": 5}, {"id": "b", "status": "fail", "weight": 1},
              {"id": "c", "status": "fail", "weight": 4}, {"id": "d", "status": "pass", "weight": 9}]
    assert [c["id"] for c in sorted_problems(checks)] == ["c", "b", "a"]


def test_site_report_content():
    html = render_site_report(SUMMARY, lang="en")
    assert '<html lang="en">' in html and "Report for https://sante.example" in html
    assert html.count('role="img"') == 3 and 'id="histogram-t"' in html
    # checks ranked by failing pages, with links to those pages
    top = SUMMARY["checks"][0]
    assert html.index(f'id="check-{top["id"]}"') < html.index(f'id="check-{SUMMARY["checks"][1]["id"]}"')
    assert f'<a href="{top["pages"][0]}">' in html
    # sortable worst pages, sections, robots, sitemaps, exports
    assert 'class="sortable dense" id="worst-table"' in html and html.count('class="sort"') >= 4
    assert "/offres/" in html and "GPTBot" in html and "Blocked" in html
    assert "https://sante.example/sitemap-fr.xml" in html
    assert 'href="/v1/batches/b_fixture01/export.csv"' in html
    _no_external_resources(html)


def test_site_report_in_french_uses_the_catalogue_titles():
    html = render_site_report(SUMMARY, lang="fr")
    assert '<html lang="fr">' in html and "Rapport d’audit de site" in html
    assert "Déclare un type de page santé schema.org" in html and "Télécharger le CSV" in html
    assert "Declares a health page type" not in html
    # a failed page's reason and a page's failed checks (the tooltip) in the reader's words, not codes
    assert "<td>la page a répondu HTTP 404</td>" in html and "<td>HTTP 404</td>" not in html
    assert 'title="Nomme son auteur' in html and 'title="authorship.' not in html


def test_site_report_exports_override_and_unsafe_links():
    summary = copy.deepcopy(SUMMARY)
    summary["worst_pages"][0]["url"] = "javascript:alert(1)"
    html = render_site_report(summary, lang="en", exports={"csv": "site.csv", "jsonl": "site.jsonl"})
    assert 'href="site.csv"' in html and 'href="site.jsonl"' in html and "/v1/batches" not in html
    assert 'href="javascript:' not in html


def test_site_report_of_a_running_batch_with_few_keys():
    html = render_site_report({"batch_id": "b_1", "state": "running", "start": "https://x.example/"}, lang="fr")
    assert "En cours" in html and "Aucun export disponible." in html


def test_csp_allows_exactly_the_inline_style_and_script():
    import base64
    import hashlib

    for text in (STYLE, SCRIPT):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa():
    colours = dict(re.findall(r"--([\w-]+):(#[0-9a-f]{6})", STYLE))
    pairs = [("ink", "bg"), ("muted", "bg"), ("muted", "card"), ("accent", "card"), ("fail", "fail-bg"),
             ("warn", "warn-bg"), ("pass", "pass-bg"), ("na", "na-bg")]
    for text, background in pairs:
        assert _contrast(colours[text], colours[background]) >= 4.5, (text, background)
    from service.reports import charts

    for colour in (charts.GREEN, charts.AMBER, charts.RED, charts.MUTED):  # bar and gauge fills, and their labels
        assert _contrast(colour, "#ffffff") >= 4.5


@pytest.mark.parametrize("href, allowed", [
    ("https://site.example/a", True), ("/v1/batches/b_1/export.csv", True), ("site.csv", True),
    ("../exports/site.jsonl", True), ("javascript:alert(1)", False), ("//evil.example/x", False),
    ("data:text/html,x.csv", False), ("../site.html", False),
])
def test_report_links_are_http_site_paths_or_export_files(href, allowed):
    from service.reports.env import safe_href

    assert (safe_href(href) is not None) is allowed


def test_fix_section_says_which_markup_attributes_to_take_out():
    """The page's broken RDFa cannot be corrected in the JSON-LD: the report names each attribute, its line and
    its tag, in the reader's language, and points to fix --apply."""
    report = audit_html((FIXTURES / "fix" / "en_rdfa_article.html").read_bytes(), "https://example.org/page")
    removals = [r for item in report["fix"]["unfixed"] for r in item.get("remove") or ()]
    assert removals
    said = {"en": "take {attribute}=&#34;{value}&#34; out of", "fr": "retirer {attribute}=&#34;{value}&#34; de"}
    for lang, words in said.items():
        html = render_page_report(report, lang=lang)
        section = html[html.index('id="fix-h"'):html.index('id="jsonld"')]
        assert ui_strings(lang)["unfixed"] in section and ui_strings(lang)["remove_apply"] in section
        for removal in removals:
            assert words.format(**removal) in section
            assert f"{removal['line']}" in section
            assert removal["tag"].replace('"', "&#34;").replace("<", "&lt;").replace(">", "&gt;") in section
    clean = render_page_report(_report("en_mixed_article"), lang="en")
    assert ui_strings("en")["remove_apply"] not in clean
