"""The main content (<main>, <article>, role=main, content classes, else the densest block of paragraphs),
the page furniture around it, and its text blocks and links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from scoring.limits import (
    MAX_BLOCKS,
    MAX_LINKS,
    Limits,
)
from scoring.page.index import SKIP_TAGS, element_text, text_of

# Page furniture inside or around the content.
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "header"})
# Class, id and role words of page furniture: a word is what lies between spaces, "_" and "-".
_FURNITURE_WORDS = frozenset(
    "nav navbar menu footer sidebar breadcrumb breadcrumbs comment comments share social newsletter related "
    "recommended cookie banner advert ad ads promo subscribe signup popup modal".split())
_CONTENT_HINT = re.compile(
    r"article[-_]?(body|content|text)|post[-_]?(body|content)|entry[-_]content|story[-_]body|"
    r"main[-_]content|content[-_]body|article__body|rich[-_]?text|field--name-body|body-content",
    re.I,
)

BLOCK_TAGS = frozenset({"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre",
                        "h1", "h2", "h3", "h4", "h5", "h6"})
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass(slots=True)
class Block:
    """A text block of the main content (paragraph, list item, heading, quote, cell)."""

    tag: str
    text: str
    element: etree._Element
    index: int


@dataclass(slots=True)
class Link:
    url: str
    text: str
    element: etree._Element
    rel: str
    in_main: bool


def is_inside(el: etree._Element, ancestor: etree._Element) -> bool:
    """True when `ancestor` is a proper ancestor of `el`."""
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _hint(el: etree._Element) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''} {el.get('role') or ''}"


def _may_be_content(hint: str) -> bool:
    """Every content-class pattern holds "body", "content" or "text": three substring tests spare the regex."""
    low = hint.lower()
    return "body" in low or "content" in low or "text" in low


def is_furniture(el: etree._Element) -> bool:
    tag = el.tag
    if tag in _FURNITURE_TAGS:
        return True
    if el.get("role") in ("navigation", "contentinfo", "complementary", "banner"):
        return True
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    hint = _hint(el)
    if len(hint) == 2:  # no id, class or role
        return False
    # a set test on the words, not a regex: most elements carry a class
    return (not _FURNITURE_WORDS.isdisjoint(hint.lower().replace("_", " ").replace("-", " ").split())
            and not (_may_be_content(hint) and _CONTENT_HINT.search(hint)))


def find_main(root: etree._Element) -> tuple[etree._Element, str]:
    """The element holding the article: <main>/<article>/role=main, content classes, else densest block."""
    body = root.find("body")
    if body is None:
        body = root
    # each paragraph's length once; candidates nest, and each would measure the same paragraphs again
    p_lengths = {p: len(text_of(p)) for p in body.iter("p")}

    def _text_len(el: etree._Element) -> int:
        return sum(p_lengths[p] for p in el.iter("p"))

    total = sum(p_lengths.values()) or 1
    candidates: list[tuple[str, etree._Element]] = []
    for el in body.iter("article", "main", "div", "section"):
        tag = el.tag
        if tag == "article":
            candidates.append(("article", el))
            continue
        role = el.get("role")
        if tag == "main" or role == "main":
            candidates.append(("main", el))
        elif el.get("itemprop") in ("articleBody", "mainContentOfPage", "text"):
            candidates.append(("itemprop", el))
        else:
            ident, cls = el.get("id"), el.get("class")
            if ident or cls or role:  # no hint to read otherwise
                hint = f"{ident or ''} {cls or ''} {role or ''}"
                if _may_be_content(hint) and _CONTENT_HINT.search(hint):
                    candidates.append(("class", el))
    # Prefer the most specific container that still holds most of the page's prose.
    best: tuple[etree._Element, str] | None = None
    best_len = 0
    for method, el in candidates:
        length = _text_len(el)
        if length < 0.35 * total or length < 200:
            continue
        if best is None or length > best_len * 1.4 or (length >= 0.7 * best_len and is_inside(el, best[0])):
            best, best_len = (el, method), length
    if best is not None:
        return best
    densest = _densest(p_lengths)
    return (body if densest is None else densest), "density"


def _densest(p_lengths: dict[etree._Element, int]) -> etree._Element | None:
    """Parent with the most paragraph text directly below it (readability-style scoring)."""
    scores: dict[etree._Element, int] = {}
    for p, length in p_lengths.items():
        if length < 40:
            continue
        parent = p.getparent()
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0) + length
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + length // 2
    if not scores:
        return None
    return max(scores.items(), key=lambda item: item[1])[0]


def collect_blocks(root, main, limits: Limits) -> tuple[list[Block], list[str], list[tuple[int, str]]]:
    blocks: list[Block] = []
    h1: list[str] = []
    headings: list[tuple[int, str]] = []
    for el in root.iter("h1"):
        text = element_text(el)
        if text:
            h1.append(text)

    cut: list[etree._Element] = []  # the first element left unread once MAX_BLOCKS blocks are read

    def walk(el: etree._Element) -> None:
        for child in el:
            if len(blocks) >= MAX_BLOCKS:
                cut.append(child)
                return
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP_TAGS:
                continue
            if child is not main and tag != "header" and is_furniture(child):
                continue
            if tag in BLOCK_TAGS and not (tag in _CONTAINER_BLOCKS and _has_structure(child)):
                text = element_text(child)
                if text:
                    blocks.append(Block(tag, text, child, len(blocks)))
                    if tag in HEADING_TAGS:
                        headings.append((HEADING_TAGS[tag], text))
                continue
            if tag in ("div", "span", "font") and not _has_structure(child):
                # text written straight into a <div>, as some CMSs do
                text = element_text(child)
                if len(text) > 80:
                    blocks.append(Block("div", text, child, len(blocks)))
                continue
            walk(child)

    walk(main)
    if cut:
        total = sum(1 for _ in main.iter(*BLOCK_TAGS))  # counted in C, without reading their text
        limits.hit("blocks", max(total, MAX_BLOCKS + 1), MAX_BLOCKS)
    if not any(h for h in headings if h[0] == 1):
        # the H1 often sits just above the article container
        for text in h1[:1]:
            headings.insert(0, (1, text))
    return blocks, h1, headings


_STRUCTURE_TAGS = tuple(BLOCK_TAGS | {"div", "section", "article", "ul", "ol", "table"})
_CONTAINER_BLOCKS = frozenset({"li", "td", "th", "blockquote", "dd"})


def _has_structure(el: etree._Element) -> bool:
    """True when the element holds blocks of its own, so its text must be read block by block."""
    return next(el.iterdescendants(*_STRUCTURE_TAGS), None) is not None  # tags matched in C


def _absolute(base: str | None, origin: str | None, href: str) -> str:
    # Most links are absolute or root-relative: skip urljoin, the costliest step of link collection.
    if href.startswith(("http://", "https://")):
        return href
    if href.startswith("//"):
        return (base.split(":", 1)[0] + ":" + href) if base else href
    if href.startswith("/") and origin and ".." not in href:
        return origin + href
    return urljoin(base, href) if base else href


def collect_links(root, main, base: str | None, limits: Limits) -> list[Link]:
    main_links = set(main.iter("a"))  # keep the elements: ids of lxml proxies are reused once freed
    parts = urlsplit(base) if base else None
    origin = f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme and parts.netloc else None
    links: list[Link] = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href:
            continue
        href = href.strip()
        if href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        if len(links) == MAX_LINKS:  # counted in C: links without a target or to the page itself count too
            limits.hit("links", int(root.xpath("count(//a[@href])")), MAX_LINKS)
            break
        # most links hold only their text: read it without serialising the element
        text = text_of(a) if len(a) else a.text or ""
        rel = a.get("rel")
        links.append(Link(url=_absolute(base, origin, href), text=" ".join(text.split()), element=a,
                          rel=rel.lower() if rel else "", in_main=a in main_links))
    return links
