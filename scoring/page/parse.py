"""Decoding and parsing: the charset (BOM, transport, <meta charset>), this thread's libxml2 parser, and the
caps applied to a pathological page before and after the parse."""

from __future__ import annotations

import codecs
import re
import threading

import lxml.html
from lxml import etree

from scoring.limits import (
    MAX_ATTRIBUTES,
    MAX_ELEMENTS,
    Limits,
)

# searched in lower-cased bytes: a case-sensitive pattern lets `re` jump from one "<meta" to the next
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:]+)""")
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

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

# lxml.html's own parser picks each element's Python class in a Python callback, once per element proxy,
# and proxies are made again every time an element is reached: a fifth of an audit went there. The same
# HtmlElement class chosen in C keeps text_content() and what htmldate expects. Parsers are not shared
# between threads.
_PARSERS = threading.local()


def html_parser(encoding: str | None = None) -> etree.HTMLParser:
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


def cap_attributes(html: str | bytes, limits: Limits) -> str | bytes:
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


def cap_elements(root: etree._Element, limits: Limits) -> None:
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
