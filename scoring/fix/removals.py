"""Which attribute to take out of the page so that its microdata or RDFa validates.

The JSON-LD the fix writes says what the page shows; a microdata or RDFa statement the validator rejects (a date
that is no date, a property the type does not have) is then worth nothing, and removing it loses nothing. Each
removal names the attribute (``itemprop``, or RDFa's ``property``), the one token to take out of it, and the start
tag that carries it as the page writes it, with its line: what an editor needs, and what ``apply_fix`` edits.

A statement is found in the parsed tree (its item by types and id, then its property and its value, read as the
extractors read them), then found again in the page's text. Nothing is guessed: when a finding's statement cannot
be told apart (no element states that value, identical tags on one line, a line past libxml2's count, an item-valued
property whose removal would free a nested item), the finding gets no removal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from scoring.fix.tags import StartTag, attribute_values, carries, find_tag, quote_tag, start_tags
from scoring.markup.graph import join_url, short_name, type_name
from scoring.markup.structured import RDFA_PREFIXES, rdfa_scope, rdfa_term, rdfa_value
from scoring.page.index import text_of
from scoring.page.model import Page

ATTRIBUTE = {"microdata": "itemprop", "rdfa": "property"}
# findings about the property itself: every statement of it on that item is wrong, whatever its value
PROPERTY_LEVEL = frozenset(("unknown-property", "property-not-expected", "retired-term"))
LAST_LINE = 65535  # libxml2 stops counting lines here: a larger sourceline says nothing
_QUOTED_TEXT = 60  # the validator quotes at most 60 (bare strings) or 80 characters of a value

_MICRODATA_SRC = frozenset(("audio", "embed", "iframe", "img", "source", "track", "video"))
_MICRODATA_HREF = frozenset(("a", "area", "link"))


@dataclass(frozen=True)
class Statement:
    """One property token of one element, stating a value of one item."""
    item: etree._Element
    element: etree._Element
    token: str  # as written in the attribute
    prop: str  # the schema.org property it names
    value: Any  # the text it states; None for an item-valued property (the element is an item itself)


def microdata_value(el: etree._Element, base_url: str | None) -> str:
    """The value of a microdata property element, by the rules extruct reads (W3C microdata, plus content=)."""
    tag = el.tag
    if tag == "meta":
        return el.get("content", "")
    for tags, attr in ((_MICRODATA_SRC, "src"), (_MICRODATA_HREF, "href"), (("object",), "data")):
        if tag in tags:
            return join_url(base_url, (el.get(attr) or "").strip())
    if tag in ("data", "meter"):
        return el.get("value", "")
    if tag == "time":
        return el.get("datetime", "")
    return el.get("content") or " ".join(text_of(el).split())


def _microdata(root: etree._Element, base_url: str | None) -> Iterator[Statement]:
    for el in root.iter():
        names = el.get("itemprop") if isinstance(el.tag, str) else None
        if not names:
            continue
        item = next((a for a in el.iterancestors() if a.get("itemscope") is not None), None)
        if item is None:
            continue
        value = None if el.get("itemscope") is not None else microdata_value(el, base_url)
        for token in names.split():
            yield Statement(item, el, token, short_name(token), value)


def _rdfa(root: etree._Element, base_url: str | None) -> Iterator[Statement]:
    """The property statements as scoring.markup.structured's RDFa walker reads them."""
    stack: list[tuple[etree._Element, etree._Element | None, str | None, dict]] = [(root, None, None, RDFA_PREFIXES)]
    while stack:
        el, item, vocab, prefixes = stack.pop()
        if not isinstance(el.tag, str):
            continue
        vocab, prefixes = rdfa_scope(el, vocab, prefixes)
        typeof = el.get("typeof")
        props = [(t, p) for t in (el.get("property") or "").split() if (p := rdfa_term(t, vocab, prefixes))]
        inside = item
        if typeof is not None:
            types = [t for t in (rdfa_term(x, vocab, prefixes) for x in typeof.split()) if t]
            rel = [t for t in (el.get("rel") or "").split() if rdfa_term(t, vocab, prefixes)]
            if types or props or rel:
                if item is not None:
                    yield from (Statement(item, el, token, prop, None) for token, prop in props)
                inside = el
        elif props and item is not None:
            value = rdfa_value(el, base_url)
            if value != "":
                yield from (Statement(item, el, token, prop, value) for token, prop in props)
            if el.get("content") is None and not any(el.get(a) for a in ("resource", "href", "src")):
                continue  # a text value: what is inside states nothing more
        stack.extend((sub, inside, vocab, prefixes) for sub in reversed(el))


def _item_types(item: etree._Element, syntax: str) -> set[str]:
    if syntax == "microdata":
        return {type_name(t) for t in (item.get("itemtype") or "").split()}
    vocab, prefixes = None, RDFA_PREFIXES
    for el in [*reversed(list(item.iterancestors())), item]:
        vocab, prefixes = rdfa_scope(el, vocab, prefixes)
    return {type_name(t) for t in (rdfa_term(x, vocab, prefixes) for x in (item.get("typeof") or "").split()) if t}


def _item_id(item: etree._Element, syntax: str) -> str | None:
    if syntax == "microdata":  # extruct keeps an itemid on a typed item only
        ident = item.get("itemid") if item.get("itemtype") else None
    else:  # as the RDFa walker names a typed node: resource, about, or the link of a typed property value
        link = (item.get("href") or item.get("src") or "").strip() if item.get("property") else ""
        ident = item.get("resource") or item.get("about") or (link if not link.startswith("#") else None)
    return ident.strip() if ident and ident.strip() else None


def _same_text(stated: str, quoted: str) -> bool:
    """The validator's quote of a value (stripped, maybe cut) is this statement's value; spaces aside, since the
    extractors and lxml space out an element's text differently."""
    a, b = "".join(stated.split()), "".join(quoted.split())
    return a == b or (len(quoted) >= _QUOTED_TEXT and a.startswith(b))


class MarkupRemovals:
    """The removals that clear a page's microdata and RDFa findings, the tree and the text read once."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.statements: dict[str, list[Statement]] = {}
        self.tags: tuple[dict[int, list[StartTag]], dict[int, list[StartTag]]] | None = None

    def of_syntax(self, syntax: str) -> list[Statement]:
        if syntax not in self.statements:
            read = _microdata if syntax == "microdata" else _rdfa
            self.statements[syntax] = list(read(self.page.root, self.page.url))
        return self.statements[syntax]

    def located(self, finding: dict) -> list[Statement] | None:
        """The statements the finding is about; None unless each is identified for sure."""
        syntax, prop, code = finding.get("syntax"), finding.get("property"), finding.get("code")
        if syntax not in ATTRIBUTE or not prop or prop.startswith("@"):
            return None
        statements = self.of_syntax(syntax)
        label, path = finding.get("node"), finding.get("path")
        types = {t for t in (finding.get("type") or "").split(", ") if t}
        items: dict[etree._Element, bool] = {}
        found = []
        for s in statements:
            if s.prop != prop:
                continue
            if s.item not in items:
                ident = _item_id(s.item, syntax)
                ids = {ident, join_url(self.page.url, ident)} if ident else {path}
                items[s.item] = label in ids and _item_types(s.item, syntax) <= types
            if items[s.item]:
                found.append(s)
        if code in PROPERTY_LEVEL:
            # an item-valued statement stays: removing it would free its item as a page-level node of its own
            return found if found and all(s.value is not None for s in found) else None
        params = finding.get("params") or {}
        quoted, term = params.get("text"), params.get("term")
        if isinstance(quoted, str):
            found = [s for s in found if isinstance(s.value, str) and _same_text(s.value.strip(), quoted)]
        elif isinstance(term, str) and code == "unexpected-value-type":  # an enumeration member given elsewhere
            found = [s for s in found if isinstance(s.value, str) and short_name(s.value.strip()) == term]
        else:
            return None
        # one value, however many elements state it; two values that agree only on the quoted start are two guesses
        return found if found and len({"".join(s.value.split()) for s in found}) == 1 else None

    def removals(self, findings: list[dict]) -> list[tuple[Statement, dict]] | None:
        """The (statement, removal) pairs that clear every one of ``findings``; None unless all can be cleared."""
        if not self.page.source:
            return None
        statements: list[Statement] = []
        for finding in findings:
            found = self.located(finding)
            if found is None:
                return None
            statements += [s for s in found if s not in statements]
        out = []
        for s in statements:
            removal = self.removal(s, ATTRIBUTE[findings[0]["syntax"]])
            if removal is None:
                return None
            out.append((s, removal))
        return out

    def removal(self, statement: Statement, attr: str) -> dict | None:
        """Where the statement's start tag is in the page's text, as ``apply_fix`` will find it again."""
        line = statement.element.sourceline
        if not line or line >= LAST_LINE:
            return None
        text = self.page.source or ""
        starting, covering = self.tag_index()
        el = statement.element
        candidates = [t for t in covering.get(line, []) if t.name == el.tag and carries(text, t, attr, statement.token)]
        if len(candidates) > 1:  # several on one line: the one whose attributes are the element's
            candidates = [t for t in candidates if attribute_values(text, t) == dict(el.attrib)]
        if len(candidates) != 1:
            return None
        tag = candidates[0]
        quoted = quote_tag(text[tag.start:tag.end])
        if find_tag(text, starting.get(tag.line, []), attr, statement.token, quoted) is not tag:
            return None
        return {"attribute": attr, "value": statement.token, "line": tag.line, "tag": quoted}

    def tag_index(self) -> tuple[dict[int, list[StartTag]], dict[int, list[StartTag]]]:
        """The page's start tags by the line they begin on, and by each line they cover: libxml2 gives an element
        the line of its ">" (2.14), older releases the line of its "<"."""
        if self.tags is None:
            starting: dict[int, list[StartTag]] = {}
            covering: dict[int, list[StartTag]] = {}
            for tag in start_tags(self.page.source or ""):
                starting.setdefault(tag.line, []).append(tag)
                for line in range(tag.line, tag.end_line + 1):
                    covering.setdefault(line, []).append(tag)
            self.tags = starting, covering
        return self.tags

