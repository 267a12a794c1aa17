"""The page model: one parse, then everything the checks read.

Lighthouse-style "gather once": `Page.parse` decodes and parses the HTML a
single time, finds the main content and collects the text blocks, headings
and links that every later step reads. Nothing downstream re-parses.
"""

from __future__ import annotations

import codecs
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from .language import letter_words
from .limits import MAX_ATTRIBUTES, MAX_BLOCKS, MAX_ELEMENT_DEPTH, MAX_ELEMENTS, MAX_LINKS, MAX_TEXT_NODES, Limits
from .text import findall_by_token

# searched in lower-cased bytes: a case-sensitive pattern lets `re` jump from one "<meta" to the next
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:]+)""")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.U)
# Where libxml2 reads start tags: outside comments and the raw text of scripts, styles and the like (HTML5
# tokenisation), whose "<" is no tag. The scan skips those, then finds the start tags long enough to hold more than
# MAX_ATTRIBUTES attributes: each attribute is at least two tokens (a space or a quoted value, and a name). As in
# HTML5 tokenisation, only a quote right after "=" opens a value, a ">" inside it is no end, and a quote never
# closed is a token of its own (libxml2 reads on past it). Tokens are atomic and the repetition possessive, so
# nothing backtracks: linear.
_TOKEN = r"""(?>\s++|=\s*+"(?>[^"]*+"|)|=\s*+'(?>[^']*+'|)|=|[^\s>=]++)"""
_SCAN = (r"<(?:!--(?:[^-]++|-(?!->))*+(?:-->)?"  # one "<" first: re then jumps from one "<" to the next
         r"|(?P<raw>(?i:script|style|xmp|iframe|noembed|noframes|textarea|title|plaintext))\b"
         r"(?P<rawtag>" + _TOKEN + r"*+)>?[^<]*+(?:<(?!/(?i:(?P=raw)))[^<]*+)*+"
         r"|(?P<tag>[a-zA-Z]" + _TOKEN + "{" + str(2 * MAX_ATTRIBUTES) + ",}+))")
_LONG_TAG = {str: re.compile(_SCAN), bytes: re.compile(_SCAN.encode())}
_ATTRIBUTE = r"""[^\s=>/][^\s=>]*+(?:\s*+=\s*+(?>"[^"]*+"|'[^']*+'|[^\s>]*+))?"""
_ATTRIBUTES = {str: re.compile(_ATTRIBUTE), bytes: re.compile(_ATTRIBUTE.encode())}
_TAG_NAME = {str: re.compile(r"<[^\s/>]*"), bytes: re.compile(rb"<[^\s/>]*")}

# Elements whose text is never article content.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "form", "button",
                        "select", "textarea", "head", "title"})
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
# lxml.html's own parser picks each element's Python class in a Python callback, once per element proxy,
# and proxies are made again every time an element is reached: a fifth of an audit went there. The same
# HtmlElement class chosen in C keeps text_content() and what htmldate expects. Parsers are not shared
# between threads.
_PARSERS = threading.local()


def _parser(encoding: str | None = None) -> etree.HTMLParser:
    """This thread's parser for text (encoding None) or for bytes in `encoding`."""
    parsers = getattr(_PARSERS, "by_encoding", None)
    if parsers is None:
        parsers = _PARSERS.by_encoding = {}
    parser = parsers.get(encoding)
    if parser is None:
        parser = parsers[encoding] = etree.HTMLParser(encoding=encoding)
        parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    return parser


BLOCK_TAGS = frozenset({"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre",
                        "h1", "h2", "h3", "h4", "h5", "h6"})
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


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


def _cap_attributes(html: str | bytes, limits: Limits) -> str | bytes:
    """The document with every start tag cut after MAX_ATTRIBUTES attributes (libxml2's parse of one element is
    quadratic in its attributes). A pattern finds the few tags long enough to need counting."""
    kind = type(html)
    pieces = []
    done = 0
    for found in _LONG_TAG[kind].finditer(html):
        if found.start("tag") >= 0:
            start, end = found.start(), found.end("tag")
        elif found.start("raw") >= 0 and found.end("rawtag") - found.start("rawtag") >= 2 * MAX_ATTRIBUTES:
            start, end = found.start(), found.end("rawtag")  # a script's own start tag
        else:
            continue  # a comment or raw text: no tag inside
        name_end = _TAG_NAME[kind].match(html, start).end()
        attributes = _ATTRIBUTES[kind].finditer(html, name_end, end)
        last = None
        count = 0
        for count, attribute in enumerate(attributes, 1):
            if count == MAX_ATTRIBUTES:
                last = attribute.end()
        if count > MAX_ATTRIBUTES:
            limits.hit("attributes", count, MAX_ATTRIBUTES)
            pieces.append(html[done:last])
            done = end
    return html[:0].join([*pieces, html[done:]]) if pieces else html


_COUNT_ELEMENTS = etree.XPath("count(//*)")
_NTH_ELEMENT = etree.XPath("(//*)[$n]")


def _cap_elements(root: etree._Element, limits: Limits) -> None:
    """Cut the tree after its MAX_ELEMENTS-th element in document order: every later step walks elements."""
    total = int(_COUNT_ELEMENTS(root))
    if total <= MAX_ELEMENTS:
        return
    limits.hit("elements", total, MAX_ELEMENTS)
    last = _NTH_ELEMENT(root, n=MAX_ELEMENTS)[0]
    for child in list(last):
        last.remove(child)
    node = last
    while node is not None:  # what follows `last` and each of its ancestors
        parent = node.getparent()
        if parent is None:
            break
        following = node.getnext()
        while following is not None:
            parent.remove(following)
            following = node.getnext()
        node = parent


def text_of(el: etree._Element) -> str:
    """All the text inside an element, as lxml's text_content() gives it, three times faster (serialised in C,
    no XPath evaluation)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def clean_text(text: str) -> str:
    return " ".join(text.split())


def words(text: str) -> list[str]:
    return findall_by_token(_WORD, text, str.isalnum)


def element_text(el: etree._Element) -> str:
    """Visible text of an element, skipping scripts and styles."""
    if not isinstance(el.tag, str):  # a comment or processing instruction
        return ""
    if not len(el):  # no children: its own text is all of it
        return "" if el.tag in _SKIP_TAGS else clean_text(el.text or "")
    if next(el.iter(*_SKIP_TAGS), None) is None:  # the usual case: lxml lists the texts in C
        return clean_text(" ".join(el.itertext()))
    parts: list[str] = []
    _collect_text(el, parts)
    return clean_text(" ".join(parts))


def _collect_text(el: etree._Element, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP_TAGS:
        return
    if el.text and tag:
        parts.append(el.text)
    for child in el:
        _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def has_attribute(root: etree._Element, name: str) -> bool:
    """True when some element under root carries the attribute `name` (lower case)."""
    # `//@name` walks the attributes in C; `//*[@name]` evaluates a predicate per element, six times slower
    return bool(root.xpath(f"boolean(//@{name})"))


class TextIndex:
    """Texts joined once and lower-cased, for keyword searches over all of them: one `str.find` per keyword
    over the whole, not a regex per text."""

    __slots__ = ("texts", "_joined", "_starts")

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts
        joined = "\x00".join(texts).lower()
        lowered = texts
        if texts and len(joined) != sum(map(len, texts)) + len(texts) - 1:  # a few letters grow when lowered ("İ")
            lowered = [t.lower() for t in texts]
            joined = "\x00".join(lowered)
        self._joined = joined
        self._starts = list(accumulate(map((1).__add__, map(len, lowered)), initial=0))

    def find(self, needles: Iterable[str], *, word_start: bool = False) -> list[int]:
        """Indexes of the texts holding one of `needles` (lower case), in order; with `word_start`, only where
        a needle starts a word."""
        if not self.texts:
            return []
        joined, starts = self._joined, self._starts
        hits: set[int] = set()
        for needle in needles:
            pos = joined.find(needle)
            while pos != -1:
                before = joined[pos - 1] if pos else " "
                if word_start and (before.isalnum() or before == "_"):
                    pos = joined.find(needle, pos + 1)
                    continue
                index = bisect_right(starts, pos) - 1
                hits.add(index)
                pos = joined.find(needle, starts[index + 1])  # the next text
        return sorted(hits)


def texts_with(texts: Sequence[str], needles: Iterable[str], *, word_start: bool = False) -> list[int]:
    """Indexes of the texts holding one of `needles` (lower case): `TextIndex(texts).find(...)`."""
    return TextIndex(texts).find(needles, word_start=word_start)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes the way a browser would: BOM, transport charset, <meta charset>, UTF-8, cp1252."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    candidates = []
    if declared:
        candidates.append(declared)
    match = _META_CHARSET.search(data[:4096].lower())  # charset names are looked up whatever their case
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            enc = codecs.lookup(name).name
        except LookupError:
            continue
        if enc in ("latin-1", "iso8859-1", "ascii"):
            enc = "cp1252"  # what browsers actually use for these labels
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            if enc != "utf-8":
                return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


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

    @classmethod
    def parse(cls, html: str | bytes, url: str | None = None, charset: str | None = None) -> Page:
        encoding = source = None
        if isinstance(html, bytes):
            source = html
            html, encoding = decode_html(html, charset)
        if not (encoding == "utf-8" and not source.startswith(codecs.BOM_UTF8) and not _XML_DECL.match(html)):
            source = None  # parse the text, without an XML declaration lxml refuses in a str
            html = _XML_DECL.sub("", html, count=1)
        limits = Limits()
        parser = _parser("utf-8" if source is not None else None)
        # valid UTF-8 (it just decoded): libxml2 reads those bytes faster than a Python string
        root = etree.fromstring(_cap_attributes(source if source is not None else html, limits), parser)
        if root is None:  # only a doctype, a comment, spaces or a broken tag: a page with nothing in it
            root = lxml.html.document_fromstring("<html><head></head><body></body></html>", parser=_parser())
        else:
            if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
                limits.hit("element-depth", MAX_ELEMENT_DEPTH + 1, MAX_ELEMENT_DEPTH)
            _cap_elements(root, limits)
        return cls.from_tree(root, url, encoding, limits)

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
        blocks, h1, headings = _collect_blocks(root, main, limits)
        links = _collect_links(root, main, base, limits)
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


def _collect_blocks(root, main, limits: Limits) -> tuple[list[Block], list[str], list[tuple[int, str]]]:
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
            if not isinstance(tag, str) or tag in _SKIP_TAGS:
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


def _collect_links(root, main, base: str | None, limits: Limits) -> list[Link]:
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
