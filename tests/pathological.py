"""Generated pathological pages: one shape each, at any size, for the bad-input tests and bench/worst_case.py.

Each generator takes a target size in bytes and returns a page of roughly that size (never much bigger) whose
bulk is one pathological structure: a cost that grows faster than the page would show up as a superlinear
time or memory between sizes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

_HEAD = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Asthma in adults: symptoms and '
         'treatment</title></head><body><main><h1>Asthma in adults</h1><p>Asthma is a common long-term condition '
         'that affects the airways. Your doctor can help you manage it.</p>')
_TAIL = "</main></body></html>"


def _page(body: str, head_extra: str = "") -> bytes:
    head = _HEAD.replace("</head>", head_extra + "</head>") if head_extra else _HEAD
    return (head + body + _TAIL).encode()


def _repeat(unit: Callable[[int], str], size: int) -> str:
    """Units 0, 1, 2... joined until the size is reached."""
    parts: list[str] = []
    total = i = 0
    while total < size:
        part = unit(i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


def attributes(size: int) -> bytes:
    """One element with as many attributes as fit."""
    return _page("<div " + _repeat(lambda i: f'data-a{i}="v" ', size) + ">text</div>")


def jsonld_graph(size: int) -> bytes:
    """A JSON-LD graph of n nodes, each linking to every other: n x n references."""
    per_link = len('{"@id":"#n000"},')
    n = max(2, int(math.sqrt(size / per_link)))
    graph = [{"@id": f"#n{i}", "@type": "Person", "name": f"Person {i}",
              "knows": [{"@id": f"#n{j}"} for j in range(n)]} for i in range(n)]
    script = json.dumps({"@context": "https://schema.org", "@graph": graph}, separators=(",", ":"))
    return _page("", f'<script type="application/ld+json">{script}</script>')


def jsonld_blocks(size: int) -> bytes:
    """Many small JSON-LD blocks."""
    return _page(_repeat(lambda i: '<script type="application/ld+json">{"@context":"https://schema.org",'
                                   f'"@type":"Person","@id":"#p{i}","name":"P {i}"}}</script>', size))


def jsonld_deep(size: int) -> bytes:
    """One JSON-LD object nested as deep as the size allows."""
    depth = max(1, size // 29)
    text = '{"@type":"Thing",' + '"subjectOf":{"@type":"Thing",' * depth + '"name":"x"' + "}" * (depth + 1)
    return _page("", f'<script type="application/ld+json">{text}</script>')


def table(size: int) -> bytes:
    """A square table of short cells."""
    side = max(1, int(math.sqrt(size / len("<td>1</td>"))))
    row = "<tr>" + "<td>1</td>" * side + "</tr>"
    return _page("<table>" + row * side + "</table>")


def links(size: int) -> bytes:
    """A list of links."""
    return _page("<ul>" + _repeat(lambda i: f'<li><a href="/page/{i}">page {i}</a></li>', size) + "</ul>")


def text_nodes(size: int) -> bytes:
    """One paragraph of alternating tags and words: a text node every few bytes."""
    return _page("<p>" + _repeat(lambda i: "<b>a</b> b ", size) + "</p>")


def deep_nesting(size: int) -> bytes:
    """Elements nested as deep as the size allows."""
    depth = max(1, size // 11)
    return _page("<div>" * depth + "<p>The innermost paragraph.</p>" + "</div>" * depth)


def long_word(size: int) -> bytes:
    """One paragraph of one word, no spaces."""
    return _page("<p>" + "a" * size + "</p>")


def long_sentence(size: int) -> bytes:
    """One paragraph of words without a full stop."""
    return _page("<p>" + "asthma treatment " * (size // 17) + "</p>")


def headings(size: int) -> bytes:
    """Many question headings, each with a short paragraph."""
    return _page(_repeat(lambda i: f"<h2>What is step {i}?</h2><p>Step {i}.</p>", size))


def comment(size: int) -> bytes:
    """One huge comment."""
    return _page("<!-- " + "x" * size + " --><p>After the comment.</p>")


def itemscopes(size: int) -> bytes:
    """Many microdata items."""
    return _page(_repeat(lambda i: '<div itemscope itemtype="https://schema.org/Person">'
                                   f'<span itemprop="name">Person {i}</span></div>', size))


def itemscopes_nested(size: int) -> bytes:
    """Microdata items nested as deep as the size allows."""
    unit = '<div itemscope itemtype="https://schema.org/Thing" itemprop="subjectOf">'
    depth = max(1, size // (len(unit) + 6))
    return _page('<div itemscope itemtype="https://schema.org/Article">' + unit * depth + "x"
                 + "</div>" * (depth + 1))


def rdfa(size: int) -> bytes:
    """Many RDFa nodes."""
    return _page('<div vocab="https://schema.org/">' + _repeat(
        lambda i: f'<div typeof="Person" property="author"><span property="name">P {i}</span></div>', size)
        + "</div>")


def paragraphs(size: int) -> bytes:
    """An ordinary long article: the linear reference."""
    return _page(_repeat(lambda i: f"<h2>Section {i}</h2><p>Asthma affects {i % 90 + 1}% of adults in some "
                                   "regions (WHO, 2023). Inhalers reduce symptoms. Talk to your doctor about "
                                   f"treatment <a href=\"https://www.who.int/news/{i}\">who.int</a>.</p>", size))


def bylines(size: int) -> bytes:
    """Many short texts that look like bylines and dates."""
    return _page(_repeat(lambda i: f"<p>By Dr Jane Doe{i}, MD. Updated on 12 March 2024.</p>", size))


def separated_bylines(size: int) -> bytes:
    """Byline lines of separated parts, each label but the last followed by a name, not a date."""
    return _page(_repeat(lambda i: f"<p>Par Jean Roe{i} | Relu par le Dr Paul Doe | Revisado por la Dra. Ana Gil "
                                   "· Reviewed by Ann Lee, MD | Mis à jour le 12 mars 2024</p>", size))


def author_box_titles(size: int) -> bytes:
    """Many boxes titled about the author (no byline elsewhere), each with its name."""
    return _page(_repeat(lambda i: f"<div><h3>About the author</h3><p>Jane Doe{i} is a nurse.</p></div>", size))


def meta_tags(size: int) -> bytes:
    """Many meta tags in the head."""
    return _page("", _repeat(lambda i: f'<meta name="keywords{i}" content="asthma {i}">', size))


def long_attribute(size: int) -> bytes:
    """One class attribute of many words."""
    return _page('<div class="' + "content nav " * (size // 12) + '"><p>Text.</p></div>')


SHAPES: dict[str, Callable[[int], bytes]] = {f.__name__: f for f in (
    attributes, jsonld_graph, jsonld_blocks, jsonld_deep, table, links, text_nodes, deep_nesting, long_word,
    long_sentence, headings, comment, itemscopes, itemscopes_nested, rdfa, paragraphs, bylines, separated_bylines,
    author_box_titles, meta_tags, long_attribute)}


def jsonld_chain(size: int) -> bytes:
    """A JSON-LD graph whose nodes each reference the next: a path as long as the graph."""
    unit = len('{"@id":"#n0000","@type":"Person","knows":{"@id":"#n0001"}},')
    n = max(2, size // unit)
    graph = [{"@id": f"#n{i}", "@type": "Person", "knows": {"@id": f"#n{i + 1}"}} for i in range(n)]
    script = json.dumps({"@context": "https://schema.org", "@graph": graph}, separators=(",", ":"))
    return _page("", f'<script type="application/ld+json">{script}</script>')


SHAPES["jsonld_chain"] = jsonld_chain
