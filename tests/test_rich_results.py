"""Google's rich-result requirements (scoring/markup/rich_results.py, check markup.rich-results): fixture pages
EN and FR, each requirement at pass and fail, and a comparison with Adobe's validator when it is installed."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from scoring import audit_html
from scoring.i18n import engine_messages, localize_report, placeholders
from scoring.markup.rich_results import finding_message, rich_results, rules
from scoring.markup.structured import extract_structured
from service.reports.evidence import evidence_lines

FIXTURES = Path(__file__).parent / "fixtures" / "rich_results"
ROOT = Path(__file__).resolve().parents[1]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def check(report: dict, lang: str = "en") -> dict:
    report = localize_report(report, lang) if lang != "en" else report
    return next(c for c in report["checks"] if c["id"] == "markup.rich-results")


def judged(*nodes: dict, body: str = "", url: str = "https://health.example.org/page") -> dict:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(n)}</script>' for n in nodes)
    root = lxml_html.fromstring(f"<html><head>{scripts}</head><body>{body or '<p>x</p>'}</body></html>")
    return rich_results(extract_structured(root, url), root)


def codes(result: dict) -> set[tuple[str, str | None, str]]:
    return {(f["code"], f["property"], f["severity"]) for f in result["findings"]}


CTX = "https://schema.org"


# ---------------------------------------------------------------- fixture pages, EN and FR

@pytest.mark.parametrize("name", ["en_breadcrumb_review.html", "fr_breadcrumb_review.html"])
def test_breadcrumb_without_name_review_without_rating_and_data_vocabulary_fail(name):
    report = audit_html(fixture(name))
    findings = report["facts"]["rich_results"]["findings"]
    found = {(f["type"], f["property"], f["code"]) for f in findings}
    assert ("ListItem", "name", "missing-required") in found
    assert ("Review", "reviewRating", "missing-required") in found
    assert ("Review", "itemReviewed", "missing-required") in found  # not nested in what it reviews
    dead = [f for f in findings if f["code"] == "deprecated-vocabulary"]
    assert len(dead) == 1 and dead[0]["params"]["count"] == 2 and dead[0]["feature"] == "breadcrumb"
    assert dead[0]["syntax"] == ("rdfa" if name.startswith("en") else "microdata")
    result = check(report)
    assert result["status"] == "fail"
    assert result["evidence"]["kind"] == "markup"
    shown = [(i["type"], i["property"], i["code"], i["severity"]) for i in result["evidence"]["items"]]
    assert shown[:len(findings)] == [(f["type"], f["property"], f["code"], f["severity"]) for f in findings][:10]


def test_french_page_reads_french():
    report = audit_html(fixture("fr_breadcrumb_review.html"))
    result = check(report, "fr")
    assert result["title"] == "Respecte les exigences de Google pour les résultats enrichis"
    assert result["message"].startswith("5 problèmes pour les résultats enrichis de Google")
    assert "data-vocabulary.org" in result["message"]
    dead = report["facts"]["rich_results"]["findings"][0]
    assert finding_message(dead, "fr").startswith("2 éléments de type Breadcrumb dans le vocabulaire data-vocabulary")
    assert finding_message(dead, "en").startswith("2 items of type Breadcrumb in the data-vocabulary.org vocabulary")


def test_valid_article_passes_and_faq_is_never_promised():
    report = audit_html(fixture("en_valid_article.html"))
    facts = report["facts"]["rich_results"]
    assert facts["findings"] == []
    assert set(facts["features"]) == {"article", "breadcrumb", "organization", "profile-page", "video",
                                      "image-metadata"}
    assert "faq" not in facts["features"]  # validated, not counted as a rich result
    notices = {n["type"]: n for n in facts["notices"]}
    assert notices["FAQPage"]["code"] == "no-rich-result" and notices["FAQPage"]["params"]["since"] == "2026"
    assert notices["MedicalWebPage"]["code"] == "no-rich-result-type"
    result = check(report)
    assert result["status"] == "pass"
    assert result["message"] == "6 rich-result features meet Google's requirements."


def test_faq_is_validated_and_an_faq_only_page_promises_nothing():
    bad = audit_html(fixture("fr_faq_only.html"))
    assert check(bad)["status"] == "fail"
    assert ("Question", "acceptedAnswer", "missing-required") in {
        (f["type"], f["property"], f["code"]) for f in bad["facts"]["rich_results"]["findings"]}
    good_html = fixture("fr_faq_only.html").replace(
        b'{"@type": "Question", "name": "Quand se faire vacciner ?"}',
        b'{"@type": "Question", "name": "Quand se faire vacciner ?", '
        b'"acceptedAnswer": {"@type": "Answer", "text": "A l\'automne."}}')
    good = audit_html(good_html)
    result = check(good)
    assert result["status"] == "pass" and result["message_key"] == "pass_notices"
    assert "FAQPage no longer earn a rich result" in result["message"]
    assert "FAQPage ne donnent plus de résultat enrichi" in check(good, "fr")["message"]


def test_not_applicable_without_any_rich_result_markup():
    report = audit_html(b"<html lang='en'><head><title>Plain</title></head><body><p>Text.</p></body></html>")
    assert check(report)["status"] == "not_applicable"


def test_warnings_only_warn():
    article = {"@context": CTX, "@type": "Article", "headline": "Iron", "author": {"@type": "Person", "name": "A B"},
               "datePublished": "2024-05-02", "dateModified": "2024-05-03"}
    page = f'<html lang="en"><head><script type="application/ld+json">{json.dumps(article)}</script></head>' \
           '<body><h1>Iron</h1></body></html>'
    result = check(audit_html(page.encode()))
    assert result["status"] == "warn" and result["message_key"] == "missing-recommended"
    assert "image" in result["message"]


# ---------------------------------------------------------------- each requirement at pass and fail

def crumbs(*items: dict) -> dict:
    return {"@context": CTX, "@type": "BreadcrumbList", "itemListElement": list(items)}


def crumb(position, name=None, item=None) -> dict:
    node = {"@type": "ListItem", "position": position}
    if name is not None:
        node["name"] = name
    if item is not None:
        node["item"] = item
    return node


def test_breadcrumb_rules():
    home, here = crumb(1, "Home", "https://health.example.org/"), crumb(2, "Sleep")
    assert judged(crumbs(home, here))["findings"] == []  # the last crumb needs no URL
    assert judged(crumbs(crumb(1, item={"@id": "/", "name": "Home"}), here))["findings"] == []  # item.name, relative
    assert codes(judged(crumbs(home))) == {("too-few-items", "itemListElement", "warning")}
    assert codes(judged(crumbs(crumb(1, "Home"), here))) == {("missing-required", "item", "error")}
    assert codes(judged(crumbs(crumb(1, item="https://health.example.org/"), here))) == {
        ("missing-required", "name", "error")}
    assert codes(judged(crumbs(crumb(None, "Home", "https://health.example.org/"), here))) == {
        ("missing-required", "position", "error"), ("missing-required", "item", "error")}  # no last crumb known
    assert codes(judged(crumbs(crumb(1, "Home", "not a url"), here))) == {("invalid-value", "item", "error")}
    assert codes(judged({"@context": CTX, "@type": "BreadcrumbList"})) == {
        ("missing-required", "itemListElement", "error")}


def article(**props) -> dict:
    base = {"@context": CTX, "@type": "NewsArticle", "headline": "Iron deficiency",
            "image": "https://health.example.org/i.jpg", "datePublished": "2024-05-02T08:00:00+00:00",
            "dateModified": "2024-05-03", "author": {"@type": "Person", "name": "Sam Lee"}}
    return {k: v for k, v in {**base, **props}.items() if v is not None}


def test_article_rules():
    assert judged(article())["findings"] == []
    assert judged(article(headline="h" * 110))["findings"] == []
    long = judged(article(headline="h" * 111))["findings"]
    assert [(f["code"], f["params"]["length"], f["params"]["max"]) for f in long] == [("too-long", 111, 110)]
    assert codes(judged(article(datePublished="May 2, 2024"))) == {("invalid-value", "datePublished", "warning")}
    assert codes(judged(article(image=None))) == {("missing-recommended", "image", "warning")}
    # a subtype is an article too; a cited article (a value of another node) is not a candidate
    assert codes(judged(article(**{"@type": "MedicalScholarlyArticle"}, author=None))) == {
        ("missing-recommended", "author", "warning")}
    assert judged(article(citation={"@type": "ScholarlyArticle", "name": "A trial"}))["findings"] == []


def review(**props) -> dict:
    base = {"@context": CTX, "@type": "Review", "author": {"@type": "Person", "name": "Ann"},
            "reviewRating": {"@type": "Rating", "ratingValue": 4}, "datePublished": "2024-01-02",
            "itemReviewed": {"@type": "Book", "name": "Sleep better"}}
    return {k: v for k, v in {**base, **props}.items() if v is not None}


def test_review_rules():
    assert judged(review())["findings"] == []
    assert codes(judged(review(reviewRating=None))) == {("missing-required", "reviewRating", "error")}
    assert codes(judged(review(author=None))) == {("missing-required", "author", "error")}
    assert codes(judged(review(itemReviewed=None))) == {("missing-required", "itemReviewed", "error"),
                                                       ("missing-required", "itemReviewed.name", "error")}
    nested = {"@context": CTX, "@type": "Book", "name": "Sleep better", "review": review(itemReviewed=None)}
    assert judged(nested)["findings"] == []  # nested in what it reviews: no itemReviewed needed
    assert codes(judged(review(reviewRating={"@type": "Rating", "ratingValue": 6}))) == {
        ("rating-out-of-range", "ratingValue", "error")}
    assert codes(judged(review(reviewRating={"@type": "Rating", "ratingValue": 0}))) == {
        ("rating-out-of-range", "ratingValue", "error")}  # Google's worstRating defaults to 1
    assert judged(review(reviewRating={"@type": "Rating", "ratingValue": 6, "bestRating": 10}))["findings"] == []
    assert judged(review(reviewRating={"@type": "Rating", "ratingValue": "4/5"}))["findings"] == []
    assert codes(judged(review(reviewRating={"@type": "Rating"}))) == {("missing-required", "ratingValue", "error")}


def video(**props) -> dict:
    base = {"@context": CTX, "@type": "VideoObject", "name": "Iron in two minutes", "description": "Iron.",
            "thumbnailUrl": "https://health.example.org/t.jpg", "uploadDate": "2024-05-01T08:00:00+00:00",
            "duration": "PT2M", "embedUrl": "https://video.example.org/e/1",
            "interactionStatistic": {"@type": "InteractionCounter", "userInteractionCount": 3}}
    return {k: v for k, v in {**base, **props}.items() if v is not None}


def test_video_rules():
    assert judged(video())["findings"] == []
    assert codes(judged(video(thumbnailUrl=None))) == {("missing-required", "thumbnailUrl", "error")}
    assert codes(judged(video(uploadDate="yesterday"))) == {("invalid-value", "uploadDate", "error")}
    assert codes(judged(video(duration="2 minutes"))) == {("invalid-value", "duration", "warning")}
    assert codes(judged(video(embedUrl=None))) == {("missing-recommended", "contentUrl", "warning")}
    assert judged(video(embedUrl=None, contentUrl="https://health.example.org/v.mp4"))["findings"] == []


def test_image_organization_person_and_profile_rules():
    image = {"@context": CTX, "@type": "ImageObject", "contentUrl": "https://health.example.org/i.jpg",
             "license": "https://health.example.org/licence", "acquireLicensePage": "https://health.example.org/buy",
             "creator": {"@type": "Person", "name": "Lou"}, "creditText": "Lou", "copyrightNotice": "Lou"}
    assert judged(image)["findings"] == []
    bare = judged({"@context": CTX, "@type": "ImageObject", "contentUrl": "https://health.example.org/i.jpg"})
    assert ("missing-required", "creator", "error") in codes(bare)
    assert codes(judged(article(image={"@type": "ImageObject", "width": 800}))) == {
        ("missing-required", "contentUrl", "error")}  # an article's image needs a URL only
    org = {"@context": CTX, "@type": "Organization", "name": "Example Health", "url": "https://health.example.org/",
           "logo": "https://health.example.org/logo.png"}
    assert judged(org)["findings"] == []
    assert codes(judged({**org, "logo": None})) == {("missing-recommended", "logo", "warning")}
    assert codes(judged(article(publisher={"@type": "Organization", "url": "https://health.example.org/"}))) == {
        ("missing-recommended", "name", "warning")}
    assert codes(judged(article(author={"@type": "Person", "url": "https://health.example.org/a"}))) == {
        ("missing-recommended", "name", "warning")}
    profile = {"@context": CTX, "@type": "ProfilePage", "mainEntity": {"@type": "Person", "name": "Sam Lee"}}
    assert judged(profile)["findings"] == []
    assert ("missing-required", "mainEntity.name", "error") in codes(
        judged({**profile, "mainEntity": {"@type": "Person", "url": "https://health.example.org/sam"}}))


def test_howto_is_validated_and_never_promised():
    howto = {"@context": CTX, "@type": "HowTo", "name": "Take your blood pressure",
             "step": [{"@type": "HowToStep", "text": "Sit down for five minutes."}]}
    result = judged(howto)
    assert result["findings"] == [] and result["features"] == []
    assert [(n["code"], n["params"]["since"]) for n in result["notices"]] == [("no-rich-result", "2023")]
    assert codes(judged({**howto, "step": [{"@type": "HowToStep", "name": "Sit"}]})) == {
        ("missing-required", "text", "error")}


def test_data_vocabulary_in_json_ld_and_rdfa_prefix():
    block = {"@context": "http://data-vocabulary.org", "@type": "Breadcrumb", "title": "Home", "url": "/"}
    found = judged(block)["findings"]
    assert [(f["code"], f["syntax"]) for f in found] == [("deprecated-vocabulary", "json-ld")]
    rdfa = ('<div prefix="dv: http://data-vocabulary.org/"><span typeof="dv:Breadcrumb">'
            '<a property="dv:url" href="/">Home</a></span></div>')
    found = judged(body=rdfa)["findings"]
    assert [(f["code"], f["syntax"], f["type"]) for f in found] == [("deprecated-vocabulary", "rdfa", "Breadcrumb")]
    schema_rdfa = '<div vocab="https://schema.org/" typeof="Person"><span property="name">Ann</span></div>'
    assert judged(body=schema_rdfa)["findings"] == []


def test_findings_are_capped():
    items = [crumb(i + 1) for i in range(300)]  # each lacks name and item
    result = judged(crumbs(*items))
    assert len(result["findings"]) == rules()["limits"]["findings"]
    assert result["dropped"] > 0


def test_every_code_has_english_and_french_text_with_the_same_placeholders():
    en, fr = engine_messages("en")["rich_results"], engine_messages("fr")["rich_results"]
    assert set(en) == set(fr)
    for code, template in en.items():
        assert placeholders(template) == placeholders(fr[code]), code


# ---------------------------------------------------------------- Adobe's validator, when installed

ADOBE = ROOT / "bench" / "node" / "node_modules" / "@adobe" / "structured-data-validator"


@pytest.mark.skipif(shutil.which("node") is None or not ADOBE.exists(),
                    reason="Adobe's validator not installed (npm install --prefix bench/node "
                           "@adobe/structured-data-validator @marbec/web-auto-extractor)")
def test_adobe_validator_agrees_on_the_fixture_pages():
    sys.path.insert(0, str(ROOT))
    from bench.rich_results import NOTES, adobe, adobe_findings, explain, match, ours

    notes = json.loads(NOTES.read_text(encoding="utf-8"))["notes"]

    names = ["en_breadcrumb_review.html", "fr_breadcrumb_review.html", "en_valid_article.html"]
    theirs = adobe([FIXTURES / name for name in names])
    for name in names:
        other = adobe_findings(theirs[str(FIXTURES / name)])
        mine = ours(fixture(name), "https://health.example.org/page")
        pairs, mine_only, other_only = match(mine, other)
        matched = {(a["type"], a["property"]) for a, _ in pairs}
        if name != "en_valid_article.html":
            assert {("ListItem", "name"), ("Review", "reviewRating"), ("Review", "itemReviewed")} <= matched, name
        assert [f for f in mine_only + other_only if explain(f, notes) is None] == [], name  # all explained


def test_findings_read_in_the_readers_language() -> None:
    evidence = check(audit_html(fixture("fr_breadcrumb_review.html")))["evidence"]
    french, english = evidence_lines(evidence, "fr"), evidence_lines(evidence, "en")
    assert any("reviewRating" in line and "obligatoire" in line for line in french), french
    assert any("reviewRating" in line and "required" in line for line in english), english


# ---------------------------------------------------------------- the fix's graph, judged without a round trip

def _judged_as_its_script(graph: dict, url: str | None) -> dict:
    """What the fix did before: the graph written as its script, parsed as a page, extracted and judged."""
    from scoring.fix.apply import render_script

    root = lxml_html.fromstring(f"<html><head>{render_script(graph)}</head><body></body></html>")
    return rich_results(extract_structured(root, url))


def _judged_in_memory(graph: dict, url: str | None) -> dict:
    from scoring.markup.structured import structured_from_jsonld

    return rich_results(structured_from_jsonld(graph, url))


def _nested(depth: int) -> dict:
    node: dict = {"@type": "ListItem", "position": 1}
    for _ in range(depth):
        node = {"@type": "BreadcrumbList", "itemListElement": [node]}
    return node


GRAPHS = [
    {"@context": CTX, "@graph": [
        {"@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": 1, "item": {"@id": "https://health.example.org/"}},
            {"@type": "ListItem", "position": "2", "name": ["A", "B"], "item": [["/x"], {"@value": "/y"}]}]},
        {"@type": "MedicalWebPage", "@id": "#page", "headline": "x" * 200, "author": {"@id": "#ann"},
         "image": {"@type": "ImageObject"}, "datePublished": {"@value": "2024-13"}},
        {"@type": "Person", "@id": "#ann", "name": "Ann", "url": "javascript:void(0)"},
        {"@type": "Review", "reviewRating": {"@type": "Rating", "ratingValue": "7"}},
        {"@id": "#page", "@type": "Article", "about": {"@list": [{"@type": "MedicalCondition"}]}}]},
    {"@context": CTX, "@type": "Article", "citation": "See http://DATA-VOCABULARY.org/Breadcrumb"},
    {"@context": "http://data-vocabulary.org", "@type": "Breadcrumb", "title": "Home", "url": "/"},
    {"@context": CTX, "@type": ["Article", "http://data-vocabulary.org/Breadcrumb"], "headline": "x"},
    {"@context": CTX, "@graph": [crumbs(*[crumb(i + 1) for i in range(300)])]},  # over the findings cap
    {"@context": CTX, "@type": "Article", "mentions": [{"@type": "Thing", "name": str(i)} for i in range(400)]},
    {"@context": CTX, "@graph": [_nested(40)]},  # deeper than the extraction reads
]


@pytest.mark.parametrize("graph", GRAPHS)
def test_a_graph_in_memory_is_judged_as_its_script_would_be(graph):
    for url in ("https://health.example.org/page", None):
        assert _judged_in_memory(graph, url) == _judged_as_its_script(graph, url)


def test_the_fix_judges_its_graph_as_its_script_would_be_on_every_fixture_page():
    from scoring.fix import fix_html

    pages = sorted((ROOT / "tests" / "fixtures").rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        url = "https://health.example.org/" + path.stem
        graph = fix_html(path.read_bytes(), url)["jsonld"]
        assert _judged_in_memory(graph, url) == _judged_as_its_script(graph, url), path.name
