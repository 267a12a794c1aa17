"""Bad and pathological input: html5lib's parser tests, generated worst-case pages, and every cap at its boundary.

Nothing a page holds may raise, and a cap that bites is a finding in the report (`limits`), in English and French.
"""

from __future__ import annotations

import json

import pytest

from scoring import audit_html
from scoring.i18n import localize_report
from scoring.limits import (
    MAX_ATTRIBUTES,
    MAX_BLOCKS,
    MAX_ELEMENT_DEPTH,
    MAX_ELEMENTS,
    MAX_GRAPH_NODES,
    MAX_JSONLD_BLOCKS,
    MAX_JSONLD_DEPTH,
    MAX_LINKS,
    MAX_PROPERTY_VALUES,
    MAX_TEXT_NODES,
)
from scoring.markup.structured import extract_structured
from scoring.page.model import Page
from service.cli import main as cli
from tests.conftest import SHARED
from tests.pathological import SHAPES

HTML5LIB = SHARED / "benchmarks" / "html5lib" / "tree-construction"
SMALL = 20_000  # bytes: every shape, fast


def html5lib_inputs() -> list[tuple[str, str]]:
    inputs = []
    for path in sorted(HTML5LIB.glob("*.dat")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        for number, chunk in enumerate(text.split("#data\n")[1:]):
            inputs.append((f"{path.name}#{number}", chunk.split("\n#errors", 1)[0]))
    return inputs


def page_with(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Asthma in adults</title>{head}'
            f"</head><body><main>{body}</main></body></html>")


def codes(report_or_limits) -> set[str]:
    items = report_or_limits["limits"] if isinstance(report_or_limits, dict) else report_or_limits.findings()
    return {item["code"] for item in items}


# --------------------------------------------------------------------------- html5lib's inputs

def test_every_html5lib_input_is_audited_without_an_exception():
    if not HTML5LIB.is_dir():
        pytest.skip("../shared/benchmarks/html5lib is not available")
    inputs = html5lib_inputs()
    assert len(inputs) > 1000
    failures = []
    for name, data in inputs:
        for payload in (data, data.encode("utf-8", "surrogateescape")):
            try:
                report = audit_html(payload)
            except Exception as exc:  # noqa: BLE001 - collected, so one run lists them all
                failures.append(f"{name}: {type(exc).__name__}: {exc}")
            else:
                assert 0 <= report["score"] <= 100
    assert failures == []


@pytest.mark.parametrize("html", ["", "   \n", "<!DOCTYPE html>", "<html", "<!-- nothing but a comment -->",
                                  "<?xml version='1.0'?>", b"\xef\xbb\xbf", "<html><head></head></html>"])
def test_an_empty_document_is_a_page_with_nothing_in_it(html):
    report = audit_html(html)
    assert report["grade"] == "F"
    assert report["facts"]["word_count"] == 0
    assert report["limits"] == []


# --------------------------------------------------------------------------- generated worst cases

@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_pathological_shape_is_audited(shape):
    report = audit_html(SHAPES[shape](SMALL))
    assert 0 <= report["score"] <= 100
    json.dumps(report)  # plain data, whatever the page


@pytest.mark.parametrize("shape", ["jsonld_deep", "deep_nesting", "jsonld_graph", "attributes"])
def test_worst_cases_report_what_they_cut(shape):
    report = audit_html(SHAPES[shape](200_000))
    assert report["limits"], shape
    for item in report["limits"]:
        assert item["message"] and item["limit"] > 0


def test_jsonld_ten_thousand_levels_deep_is_a_finding():
    deep = '{"@type":"Thing","subjectOf":' * 10_000 + '"x"' + "}" * 10_000
    report = audit_html(page_with("<p>Text.</p>", f'<script type="application/ld+json">{deep}</script>'))
    assert "jsonld-too-deep" in codes(report)
    assert any("too deep" in e["message"] for e in report["facts"]["structured_data"]["errors"])


# --------------------------------------------------------------------------- each cap at its boundary

def test_attributes_cap():
    def element(count: int, value: str = "v") -> str:
        return page_with("<div " + " ".join(f'data-a{i}="{value}"' for i in range(count)) + "><p>Text.</p></div>")

    assert "attributes" not in codes(Page.parse(element(MAX_ATTRIBUTES)).limits)
    page = Page.parse(element(MAX_ATTRIBUTES + 1))
    assert "attributes" in codes(page.limits)
    assert len(page.root.find(".//div").attrib) == MAX_ATTRIBUTES
    assert page.blocks[0].text == "Text."  # the rest of the page is read
    # a ">" inside a quoted value ends no tag: the cut counts attributes as the parser does
    page = Page.parse(element(MAX_ATTRIBUTES + 1, "a>b"))
    assert "attributes" in codes(page.limits) and len(page.root.find(".//div").attrib) == MAX_ATTRIBUTES


@pytest.mark.parametrize("attributes", [
    " ".join(f"a{i}" for i in range(2 * MAX_ATTRIBUTES)),  # no values
    "".join(f'a{i}="v"' for i in range(2 * MAX_ATTRIBUTES)),  # no spaces: libxml2 reads them all the same
    " ".join(f"a{i}=v" for i in range(MAX_ATTRIBUTES)) + " b='open " + " ".join(f"c{i}" for i in range(1000)),
])
def test_attributes_are_counted_however_they_are_written(attributes):
    page = Page.parse(page_with(f"<div {attributes}><p>Text.</p></div>").encode())
    assert "attributes" in codes(page.limits)
    assert max(len(el.attrib) for el in page.root.iter()) <= MAX_ATTRIBUTES  # an unclosed quote loses the tag


def test_a_lone_quote_or_a_script_is_no_huge_element():
    many = " ".join(f'<span class="tag" data-n="{i}">word</span>' for i in range(400))
    script = "<script>for (var i = 0; i<n; i++) { " + " ".join(f'x{i} = "v{i}";' for i in range(400)) + " }</script>"
    for body in (f'<ul role=”navigation"><li>{many}</li></ul>', script + f"<p>{many}</p>",
                 f"<!-- <div {' '.join(f'a{i}' for i in range(600))} --><p>{many}</p>"):
        page = Page.parse(page_with(body))
        assert "attributes" not in codes(page.limits), body[:40]
        assert page.root.xpath("count(//span)") == 400


def test_element_depth_cap():
    def nested(levels: int) -> str:  # html and body are two levels, the paragraph one
        inner = levels - 3
        return ("<html><body>" + "<div>" * inner + "<p>Deep text.</p>" + "</div>" * inner
                + "<p>After.</p></body></html>")

    page = Page.parse(nested(MAX_ELEMENT_DEPTH))
    assert "element-depth" not in codes(page.limits) and page.blocks[-1].text == "After."
    assert "element-depth" in codes(Page.parse(nested(MAX_ELEMENT_DEPTH + 1)).limits)


def test_elements_cap():
    def with_elements(count: int) -> str:  # html, head, body and a list
        return "<html><head></head><body><ul>" + "<li>Item</li>" * (count - 4) + "</ul><p>Footer.</p></body></html>"

    page = Page.parse(with_elements(MAX_ELEMENTS - 1))  # the footer paragraph makes MAX_ELEMENTS
    assert "elements" not in codes(page.limits)
    page = Page.parse(with_elements(MAX_ELEMENTS))
    assert "elements" in codes(page.limits)
    assert int(page.root.xpath("count(//*)")) == MAX_ELEMENTS
    assert "Footer." not in page.body_text


def test_links_cap():
    def with_links(count: int) -> str:
        return page_with("<ul>" + "".join(f'<li><a href="/page/{i}">Page {i}</a></li>' for i in range(count))
                         + "</ul>")

    assert "links" not in codes(Page.parse(with_links(MAX_LINKS)).limits)
    page = Page.parse(with_links(MAX_LINKS + 1))
    assert "links" in codes(page.limits) and len(page.links) == MAX_LINKS


def test_text_nodes_cap():
    def with_texts(count: int) -> str:  # the h1 is one text node, each <b> one, each tail one
        return ("<html><body><h1>Title</h1><p>" + "<b>a</b>b" * ((count - 1) // 2) + "<b>a</b>" * ((count - 1) % 2)
                + "</p></body></html>")

    page = Page.parse(with_texts(MAX_TEXT_NODES))
    assert len(page.text_nodes) == MAX_TEXT_NODES and "text-nodes" not in codes(page.limits)
    page = Page.parse(with_texts(MAX_TEXT_NODES + 1))
    assert len(page.text_nodes) == MAX_TEXT_NODES and "text-nodes" in codes(page.limits)
    scripts = "<script>var x = 1;</script>" * (MAX_TEXT_NODES + 1)  # invisible text is no text read
    page = Page.parse(f"<html><body>{scripts}<p>Visible.</p></body></html>")
    assert [str(t) for t in page.text_nodes] == ["Visible."] and "text-nodes" not in codes(page.limits)


def test_blocks_cap():
    def with_paragraphs(count: int) -> str:
        return page_with("".join(f"<p>Paragraph {i}.</p>" for i in range(count)))

    page = Page.parse(with_paragraphs(MAX_BLOCKS))
    assert len(page.blocks) == MAX_BLOCKS and "blocks" not in codes(page.limits)
    page = Page.parse(with_paragraphs(MAX_BLOCKS + 1))
    assert len(page.blocks) == MAX_BLOCKS and "blocks" in codes(page.limits)


def _structured(head: str):
    page = Page.parse(page_with("<p>Text.</p>", head))
    return extract_structured(page.root, "https://example.org/")


def _jsonld(value) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


def test_jsonld_blocks_cap():
    def blocks(count: int) -> str:
        return "".join(_jsonld({"@context": "https://schema.org", "@type": "Person", "name": f"P{i}"})
                       for i in range(count))

    data = _structured(blocks(MAX_JSONLD_BLOCKS))
    assert len(data.nodes) == MAX_JSONLD_BLOCKS and "jsonld-blocks" not in codes(data.limits)
    data = _structured(blocks(MAX_JSONLD_BLOCKS + 1))
    assert len(data.nodes) == MAX_JSONLD_BLOCKS and "jsonld-blocks" in codes(data.limits)
    assert data.jsonld_blocks == MAX_JSONLD_BLOCKS + 1


def test_jsonld_depth_cap():
    def nested(levels: int) -> dict:
        node = {"@type": "Thing", "name": f"level {levels}"}
        for level in range(levels - 1, 0, -1):
            node = {"@type": "Thing", "name": f"level {level}", "subjectOf": node}
        return {"@context": "https://schema.org", **node}

    def deepest(data) -> str:
        node = data.nodes[0]
        while "subjectOf" in node:
            node = node["subjectOf"]
        return node["name"]

    data = _structured(_jsonld(nested(MAX_JSONLD_DEPTH)))
    assert deepest(data) == f"level {MAX_JSONLD_DEPTH}" and "jsonld-depth" not in codes(data.limits)
    data = _structured(_jsonld(nested(MAX_JSONLD_DEPTH + 1)))
    assert deepest(data) == f"level {MAX_JSONLD_DEPTH}" and "jsonld-depth" in codes(data.limits)


def test_graph_nodes_cap():
    def graph(count: int) -> str:
        return _jsonld({"@context": "https://schema.org",
                        "@graph": [{"@type": "Person", "@id": f"#p{i}", "name": f"P{i}"} for i in range(count)]})

    data = _structured(graph(MAX_GRAPH_NODES))
    assert len(data.nodes) == MAX_GRAPH_NODES and "graph-nodes" not in codes(data.limits)
    data = _structured(graph(MAX_GRAPH_NODES + 1))
    assert len(data.nodes) == MAX_GRAPH_NODES and "graph-nodes" in codes(data.limits)


def test_microdata_items_cap():
    def items(count: int) -> str:
        return "".join(f'<div itemscope itemtype="https://schema.org/Person"><span itemprop="name">P{i}</span></div>'
                       for i in range(count))

    page = Page.parse(page_with(items(MAX_GRAPH_NODES)))
    data = extract_structured(page.root, None)
    assert len(data.nodes) == MAX_GRAPH_NODES and "graph-nodes" not in codes(data.limits)
    page = Page.parse(page_with(items(MAX_GRAPH_NODES + 1)))
    data = extract_structured(page.root, None)
    assert len(data.nodes) == MAX_GRAPH_NODES and "graph-nodes" in codes(data.limits)


def test_microdata_depth_cap():
    def nested(levels: int) -> str:
        item = '<div itemscope itemtype="https://schema.org/Thing" itemprop="subjectOf">'
        return (page_with('<div itemscope itemtype="https://schema.org/Article"><span itemprop="name">Top</span>'
                          + item * (levels - 1) + "<span itemprop='name'>Deepest</span>" + "</div>" * levels))

    def depth(node: dict) -> int:
        return 1 + (depth(node["subjectOf"]) if isinstance(node.get("subjectOf"), dict) else 0)

    data = extract_structured(Page.parse(nested(MAX_JSONLD_DEPTH)).root, None)
    assert depth(data.nodes[0]) == MAX_JSONLD_DEPTH and "microdata-depth" not in codes(data.limits)
    data = extract_structured(Page.parse(nested(MAX_JSONLD_DEPTH + 1)).root, None)
    assert depth(data.nodes[0]) == MAX_JSONLD_DEPTH and "microdata-depth" in codes(data.limits)


def test_rdfa_depth_cap():
    def nested(levels: int) -> str:
        node = '<div property="subjectOf" typeof="Thing">'
        return page_with('<div vocab="https://schema.org/" typeof="Article"><span property="name">Top</span>'
                         + node * (levels - 1) + "<span property='name'>Deepest</span>" + "</div>" * levels)

    def depth(node: dict) -> int:
        return 1 + (depth(node["subjectOf"]) if isinstance(node.get("subjectOf"), dict) else 0)

    data = extract_structured(Page.parse(nested(MAX_JSONLD_DEPTH)).root, None)
    assert depth(data.nodes[0]) == MAX_JSONLD_DEPTH and "rdfa-depth" not in codes(data.limits)
    data = extract_structured(Page.parse(nested(MAX_JSONLD_DEPTH + 1)).root, None)
    assert depth(data.nodes[0]) == MAX_JSONLD_DEPTH and "rdfa-depth" in codes(data.limits)


def test_property_values_cap():
    def values(count: int) -> str:
        return _jsonld({"@context": "https://schema.org", "@type": "MedicalWebPage",
                        "keywords": [f"asthma {i}" for i in range(count)]})

    data = _structured(values(MAX_PROPERTY_VALUES))
    assert len(data.nodes[0]["keywords"]) == MAX_PROPERTY_VALUES and "property-values" not in codes(data.limits)
    data = _structured(values(MAX_PROPERTY_VALUES + 1))
    assert len(data.nodes[0]["keywords"]) == MAX_PROPERTY_VALUES and "property-values" in codes(data.limits)


# --------------------------------------------------------------------------- in the report, in two languages

def test_limit_findings_in_the_report_in_english_and_french():
    html = page_with("<ul>" + "".join(f'<li><a href="/p/{i}">Page {i}</a></li>' for i in range(MAX_LINKS + 5))
                     + "</ul>")
    report = audit_html(html)
    links = next(item for item in report["limits"] if item["code"] == "links")
    assert links["count"] == MAX_LINKS + 5 and links["limit"] == MAX_LINKS
    assert links["message"] == "The page has 20,005 links; the first 20,000 were read."
    french = localize_report(report, "fr")
    message = next(item["message"] for item in french["limits"] if item["code"] == "links")
    assert message == "La page contient 20\u202f005 liens ; seuls les 20\u202f000 premiers ont été lus."
    assert report["limits"][0]["message"] != french["limits"][0]["message"]  # the report itself stays English


def test_every_limit_message_exists_in_english_and_french():
    from scoring.i18n import limit_templates, translation_problems

    templates = limit_templates()
    assert translation_problems(templates["en"], templates["fr"]) == []


# --------------------------------------------------------------------------- the command line and the API

def test_the_cli_refuses_a_file_over_the_body_cap(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HEALTHGEO_MAX_BODY", "64k")
    big = tmp_path / "big.html"
    big.write_bytes(page_with("<p>" + "word " * 13_200 + "</p>").encode())  # just over 64 KiB
    assert big.stat().st_size > 64 * 1024
    assert cli.main(["audit", str(big)]) == 2
    assert "larger than the limit of 65,536 bytes" in capsys.readouterr().err
    fits = tmp_path / "fits.html"
    fits.write_bytes(page_with("<p>" + "word " * 12_000 + "</p>").encode())
    assert cli.main(["audit", str(fits), "--format", "json"]) == 0


def test_the_cli_shows_limit_findings(tmp_path, capsys):
    page = tmp_path / "links.html"
    page.write_bytes(page_with("".join(f'<a href="/p/{i}">p{i}</a> ' for i in range(MAX_LINKS + 1))).encode())
    assert cli.main(["audit", str(page), "--lang", "fr"]) == 0
    assert "seuls les 20\u202f000 premiers ont été lus" in capsys.readouterr().out


@pytest.fixture
def api(prefix, tmp_path):
    from service.api.app import create_app
    from service.net.policy import FetchPolicy
    from tests import redis_helper

    app = create_app({"REDIS_URL": redis_helper.redis_url(), "KEY_PREFIX": prefix, "DATA_DIR": str(tmp_path / "v"),
                      "TESTING": True, "FETCH_POLICY": FetchPolicy(), "AUTH": "disabled",
                      "RATE_LIMIT": "100000/minute"})
    return app.test_client()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_pathological_pages_through_the_api(api, shape):
    html = SHAPES[shape](SMALL)
    response = api.post("/v1/audits", data=html, content_type="text/html")
    assert response.status_code < 500, response.data[:300]
    response = api.post("/v1/audits", json={"html": html.decode()})
    assert response.status_code < 500, response.data[:300]


@pytest.mark.parametrize("html", ["<!DOCTYPE html>", "<html", "<!-- only a comment --><html>", "<p>",
                                  page_with("", _jsonld({"a": 1}).replace("{", "[" * 5000, 1))])
def test_bad_documents_through_the_api(api, html):
    response = api.post("/v1/audits", json={"html": html})
    assert response.status_code < 500, response.data[:300]


def test_the_api_reports_limits_in_the_readers_language(api):
    html = page_with("<ul>" + "".join(f'<li><a href="/p/{i}">Page {i}</a></li>' for i in range(MAX_LINKS + 1))
                     + "</ul>")
    body = api.post("/v1/audits?lang=fr", json={"html": html}).get_json()
    assert any(item["code"] == "links" and "premiers" in item["message"] for item in body["limits"])
    assert api.get("/healthz").status_code == 200
