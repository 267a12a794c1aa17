"""The page model: one parse, then everything the checks read.

Lighthouse-style "gather once": `Page.parse` decodes and parses the HTML a
single time, finds the main content and collects the text blocks, headings
and links that every later step reads. Nothing downstream re-parses.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from scoring.limits import (
    MAX_ELEMENT_DEPTH,
    MAX_TEXT_NODES,
    Limits,
)
from scoring.page.index import TextIndex, clean_text, text_of, words
from scoring.page.main import HEADING_TAGS, Block, Link, collect_blocks, collect_links, find_main, is_inside
from scoring.page.parse import XML_DECL, cap_attributes, cap_elements, decode_html, html_parser
from scoring.page.text import letter_words

# Every text node of the body that holds more than spaces, each a string that knows its element (two in
# three text nodes are only the spaces between tags: libxml2 drops those before Python sees them).
# Filtering the parents in Python is cheaper than `parent::` predicates, which cost more than the listing.
_BODY_TEXT_NODES = etree.XPath("(/html/body/descendant::text()[normalize-space()])[position() <= $n]")
_VISIBLE = ("/html/body/descendant::text()[normalize-space()]"
            "[not(parent::script or parent::style or parent::noscript or parent::template)]")
_VISIBLE_TEXT_NODES = etree.XPath(f"({_VISIBLE})[position() <= $n]")
_COUNT_VISIBLE_TEXT_NODES = etree.XPath(f"count({_VISIBLE})")
_INVISIBLE_TEXT_PARENTS = frozenset({"script", "style", "noscript", "template"})
# The article's words are read from its first WORD_SAMPLE characters (language, topic, medicine names): the
# shares they measure are stable long before, and long pages cost no more.
WORD_SAMPLE = 20000
SHORT_TEXT = 400


@dataclass
class Page:
    url: str | None
    root: etree._Element
    encoding: str | None
    html_lang: str | None
    title: str
    meta: dict[str, list[str]]
    canonical: str | None
    main: etree._Element
    main_method: str
    blocks: list[Block]
    links: list[Link]
    h1: list[str]
    headings: list[tuple[int, str]]
    extra: dict = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)  # the caps that bit while reading the page
    # the text the tree was parsed from, line for line (an element's `sourceline` is a line of it); None for a tree
    # built elsewhere. The fix reads start tags from it as written.
    source: str | None = None

    @classmethod
    def parse(cls, html: str | bytes, url: str | None = None, charset: str | None = None) -> Page:
        encoding = source = None
        if isinstance(html, bytes):
            source = html
            html, encoding = decode_html(html, charset)
        if not (encoding == "utf-8" and not source.startswith(codecs.BOM_UTF8) and not XML_DECL.match(html)):
            source = None  # parse the text, without an XML declaration lxml refuses in a str
            # (its line breaks kept, so that the elements' line numbers are the page's)
            html = XML_DECL.sub(lambda m: "\n" * m.group(0).count("\n"), html, count=1)
        limits = Limits()
        parser = html_parser("utf-8" if source is not None else None)
        # valid UTF-8 (it just decoded): libxml2 reads those bytes faster than a Python string
        root = etree.fromstring(cap_attributes(source if source is not None else html, limits), parser)
        if root is None:  # only a doctype, a comment, spaces or a broken tag: a page with nothing in it
            root = lxml.html.document_fromstring("<html><head></head><body></body></html>", parser=html_parser())
        else:
            if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
                limits.hit("element-depth", MAX_ELEMENT_DEPTH + 1, MAX_ELEMENT_DEPTH)
            cap_elements(root, limits)
        page = cls.from_tree(root, url, encoding, limits)
        page.source = html
        return page

    @classmethod
    def from_tree(cls, root: etree._Element, url: str | None = None, encoding: str | None = None,
                  limits: Limits | None = None) -> Page:
        limits = Limits() if limits is None else limits
        head = root.find("head")
        meta: dict[str, list[str]] = {}
        canonical = base_href = None
        title = ""
        for el in root.iter("meta", "link", "base", "title"):
            tag = el.tag
            if tag == "meta":
                key = el.get("name") or el.get("property") or el.get("http-equiv")
                content = el.get("content")
                if key and content is not None:
                    meta.setdefault(key.strip().lower(), []).append(content.strip())
            elif tag == "link":
                rel = (el.get("rel") or "").lower().split()
                if "canonical" in rel and el.get("href") and canonical is None:
                    canonical = el.get("href").strip()
            elif tag == "base":
                if base_href is None and el.get("href"):
                    base_href = el.get("href").strip()
            elif tag == "title" and not title and (head is None or is_inside(el, head)):
                title = clean_text(text_of(el))
        # a URL urllib cannot read ("http://[::1") is never a base: every later urljoin would raise
        base = next((u for u in (url, base_href, canonical, (meta.get("og:url") or [None])[0]) if u and _readable(u)),
                    None)
        if base and base_href and url and _readable(base_href):
            base = urljoin(url, base_href)
        if canonical and base and _readable(canonical):
            canonical = urljoin(base, canonical)
        html_lang = (root.get("lang") or root.get("xml:lang")
                     or root.get("{http://www.w3.org/XML/1998/namespace}lang") or None)
        main, method = find_main(root)
        blocks, h1, headings = collect_blocks(root, main, limits)
        links = collect_links(root, main, base, limits)
        return cls(url=base, root=root, encoding=encoding, html_lang=html_lang.strip() if html_lang else None,
                   title=title, meta=meta, canonical=canonical, main=main, main_method=method,
                   blocks=blocks, links=links, h1=h1, headings=headings, limits=limits)

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(key)
            if values and values[0]:
                return values[0]
        return None

    def absolute(self, href: str | None) -> str | None:
        if not href:
            return None
        href = href.strip()
        return urljoin(self.url, href) if self.url else href

    @cached_property
    def text_blocks(self) -> list[Block]:
        """Blocks that are prose, not headings."""
        return [b for b in self.blocks if b.tag not in HEADING_TAGS]

    @cached_property
    def main_text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @cached_property
    def word_count(self) -> int:
        return sum(len(words(b.text)) for b in self.blocks)

    @cached_property
    def main_words(self) -> list[str]:
        """The lower-case runs of letters in the first WORD_SAMPLE characters of the article."""
        return letter_words(self.main_text, WORD_SAMPLE)

    @cached_property
    def text_nodes(self) -> list:
        """The body's text nodes in document order, but those of scripts, styles, noscript and templates and
        those of nothing but spaces.

        Each is an lxml "smart string": `getparent()` is its element (for a tail, the element it follows).
        """
        found = _BODY_TEXT_NODES(self.root, n=MAX_TEXT_NODES + 1)  # a proxy a node: the first ones only
        nodes = []
        for text in found:
            parent = text.getparent()
            if text.is_tail:
                parent = parent.getparent()
            if parent is None or parent.tag not in _INVISIBLE_TEXT_PARENTS:
                nodes.append(text)
        if len(found) > MAX_TEXT_NODES:  # rare: the filter in XPath, slower, counts and lists the visible ones
            total = int(_COUNT_VISIBLE_TEXT_NODES(self.root))
            if total > MAX_TEXT_NODES:
                self.limits.hit("text-nodes", total, MAX_TEXT_NODES)
            if len(nodes) < min(total, MAX_TEXT_NODES):  # scripts filled the first window
                nodes = list(_VISIBLE_TEXT_NODES(self.root, n=MAX_TEXT_NODES))
            del nodes[MAX_TEXT_NODES:]
        return nodes

    @cached_property
    def short_texts(self) -> list:
        """The text nodes shorter than SHORT_TEXT characters that are not only spaces: where bylines and
        labelled dates are written. Smart strings, as in `text_nodes`."""
        return [text for text in self.text_nodes if len(text) < SHORT_TEXT and not text.isspace()]

    @cached_property
    def short_text_index(self) -> TextIndex:
        """`short_texts`, ready for keyword searches; shared by the byline and the date searches."""
        return TextIndex(self.short_texts)

    @cached_property
    def body_text(self) -> str:
        """All visible text of the body (footer and sidebars included), for page-wide statements."""
        return " ".join(" ".join(self.text_nodes).split())

    @cached_property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "") if self.url else ""


def _readable(url: str) -> bool:
    """False for what urllib refuses to split (a broken IPv6 host)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True
