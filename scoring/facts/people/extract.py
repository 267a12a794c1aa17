"""Authors and medical reviewers, read the way a careful reader does.

Candidates come from every source: the page's markup, visible bylines ("By ...", "Relu par ..."), elements
classed as author or byline, ``rel=author`` links and every common meta convention. Each visible candidate is
judged by where it sits: site chrome, comments and related-story blocks do not count, and of the bylines left
the article's own is the one nearest its headline; bylines further away (teasers of other stories) count only
when they name someone already found. Meta tags corroborate, and name authors only when nothing else does.

Labels ("By", "Relu par", "Geprüft von", "Por") come from ``scoring/lang/<code>/people.json``; names are read by
the grammar of ``names.py``, driven by the same language data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from lxml import etree

from scoring import langdata
from scoring.facts.people.credentials import HONORIFICS, canonical, honorific
from scoring.facts.people.names import (
    CJK,
    PROFESSIONS,
    credentials_in,
    is_health_credential,
    looks_like_person,
    parse_people,
    parse_person,
    person_key,
)
from scoring.page.model import _SKIP_TAGS, Page, clean_text, element_text, text_of
from scoring.phrases import GatedPattern, PhraseSet, expand

__all__ = ["HONORIFICS", "PROFESSIONS", "extract_people", "is_health_credential", "looks_like_person",
           "parse_people", "parse_person", "person_key"]


_LABEL_TEMPLATE = r"(?<![\w-])({phrases})(?!\w)\s*:?\s*"
AUTHOR_LABELS = PhraseSet(langdata.words("people", "author_labels") + langdata.words("people", "bare_labels"))
REVIEW_LABELS = PhraseSet(langdata.words("people", "review_labels"))
AUTHOR_RE = GatedPattern(AUTHOR_LABELS, _LABEL_TEMPLATE)
REVIEW_RE = GatedPattern(REVIEW_LABELS, _LABEL_TEMPLATE)
# "by", "par": ordinary words too, a byline only at the start of a line or after a separator
_BARE_LABELS = frozenset(p.casefold() for w in langdata.words("people", "bare_labels") for p in expand(w))
# what may come before a bare "by": a separator, nothing, or a date's year ("3 mars 2024 par")
_BYLINE_START = re.compile(r"[|•·/\n:]\s*$|^\W*$|\b\d{4},?\s*$")
PROSE_MIN = 100  # characters: a longer text is a paragraph, where a label after a lower-case word is prose
_PROSE_BEFORE = re.compile(r"(?<![\w-])[^\W\d_A-ZÀ-Þ][^\W\d_]*,?\s+$")  # a lower-case word just before: a sentence

# ---------------------------------------------------------------- collection

MAX_PEOPLE = 30  # per role


class _People:
    """People found for one role, one entry each, with the evidence kept (sources, where)."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}

    def add(self, name: str, credentials: list[str], source: str, url: str | None = None,
            same_as: list[str] | None = None, kind: str = "Person", evidence: str | None = None,
            where: str | None = None) -> None:
        key = person_key(name)
        if not key:
            return
        entry = self._by_key.get(key) or self._same_person(name)
        if entry is None and len(self.entries) >= MAX_PEOPLE:
            return  # a page naming more is listing, not crediting: and each addition compares with the others
        if entry is not None and len(name.split()) < len(entry["name"].split()) and \
                person_key(name) != person_key(entry["name"]):
            self._by_key[key] = entry  # "Emma Mackenzie" after "Emma Mackenzie Lifestyle": the shorter name
            entry["name"] = name
        if entry is None:
            entry = {"name": name, "credentials": [], "url": None, "same_as": [], "source": source,
                     "sources": [], "type": kind, "evidence": evidence, "where": where}
            self._by_key[key] = entry
            self.entries.append(entry)
        elif entry["name"].isupper() or (len(name) > len(entry["name"]) and source != "meta"
                                         and person_key(name) == person_key(entry["name"])):
            entry["name"] = name
        for cred in credentials:
            if cred not in entry["credentials"]:
                entry["credentials"].append(cred)
        if url and not entry["url"]:
            entry["url"] = url
        for link in same_as or []:
            if link not in entry["same_as"]:
                entry["same_as"].append(link)
        if source not in entry["sources"]:
            entry["sources"].append(source)
        if evidence and not entry.get("evidence"):
            entry["evidence"] = evidence
        if where and not entry.get("where"):
            entry["where"] = where

    def _same_person(self, name: str) -> dict[str, Any] | None:
        """The entry whose name starts this one, or that this one starts: "Emma Mackenzie" and "Emma Mackenzie
        Lifestyle" (a byline read on into the next words) are one person."""
        tokens = name.split()
        for entry in self.entries:
            known = entry["name"].split()
            short, other = sorted((known, tokens), key=len)
            if len(short) < len(other) and other[:len(short)] == short and (len(short) >= 2 or CJK.search(short[0])):
                return entry
        return None

    def __contains__(self, name: str) -> bool:
        return person_key(name) in self._by_key or self._same_person(name) is not None


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_text(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            inner = _first_text(item.get("name")) or _first_text(item.get("@id"))
            if inner:
                return inner
    return None


def _from_markup(people: _People, values: Any, page: Page) -> None:
    for value in _as_list(values):
        if isinstance(value, str):
            for found in parse_people(value):
                people.add(found["name"], found["credentials"], "markup", kind=found["type"], where="markup")
            continue
        if not isinstance(value, dict):
            continue
        raw = _first_text(value.get("name"))
        if not raw:
            given, family = _first_text(value.get("givenName")), _first_text(value.get("familyName"))
            raw = " ".join(x for x in (given, family) if x) or None
        if not raw or raw.startswith("http"):
            continue
        types = value.get("@type") or []
        kind = "Organization" if any("Organization" in t or t in ("Physician", "Hospital") for t in types) \
            else "Person"
        # a Person node may name several ("Felix Schröder und Jörg Soldwisch, dpa"): the node's details are the first's
        named = [p for p in parse_people(raw) if p["type"] == "Person"] if kind == "Person" else []
        parsed = named[0] if named else {"name": raw.strip(), "credentials": []} if kind != "Person" else None
        if not parsed:
            continue
        creds = list(parsed["credentials"])
        for prop in ("honorificPrefix", "honorificSuffix"):
            for item in _as_list(value.get(prop)):
                if isinstance(item, str):
                    for piece in re.split(r"[,\s]+", item):
                        canon = honorific(piece) or canonical(piece)
                        if canon and canon not in creds:
                            creds.append(canon)
        for item in _as_list(value.get("jobTitle")):
            if isinstance(item, str):
                creds.extend(c for c in credentials_in(item) if c not in creds)
        url = _first_text(value.get("url"))
        same_as = [s for s in _as_list(value.get("sameAs")) if isinstance(s, str)]
        people.add(parsed["name"], creds, "markup", page.absolute(url) if url else None, same_as, kind,
                   where="markup")
        for other in named[1:]:
            people.add(other["name"], other["credentials"], "markup", where="markup")


class _AfterMain:
    """Whether elements come after the main content in document order (and are not inside it)."""

    __slots__ = ("main", "_branch_at")

    def __init__(self, main: etree._Element) -> None:
        self.main = main
        # each ancestor of main, with the position of its child on the way to main
        self._branch_at: dict[etree._Element, int] = {}
        child = main
        for node in main.iterancestors():
            self._branch_at[node] = node.index(child)
            child = node

    def __call__(self, el: etree._Element) -> bool:
        main, branch_at = self.main, self._branch_at
        if el is main or el in branch_at:
            return False
        child, node = el, el.getparent()
        while node is not None and node is not main and node not in branch_at:
            child, node = node, node.getparent()
        if node is None or node is main:
            return False
        return node.index(child) > branch_at[node]


BYLINE_MAX = 300  # characters of a byline's element text
AUTHOR_BOX_MAX = 80  # characters of an element classed as author whose text is a name


def _text_up_to(el: etree._Element, limit: int) -> str | None:
    """`element_text(el)` when it is at most `limit` characters long, else None: a big element (the whole
    article around a label word) is read only until it is known to be too long."""
    if not len(el):
        text = element_text(el)
        return text if len(text) <= limit else None
    pieces: list[str] = []
    most = 0  # the most characters the pieces so far make (element_text collapses spaces)
    for piece in _visible_texts(el):
        pieces.append(piece)
        most += len(piece) + 1
        if most > limit:
            text = clean_text(" ".join(pieces))
            if len(text) > limit:
                return None
            pieces, most = [text], len(text)
    return clean_text(" ".join(pieces))


def _visible_texts(el: etree._Element, skip: etree._Element | None = None) -> Iterator[str]:
    """The texts `element_text` joins, in order: those of scripts, styles, forms, buttons... (and of `skip`)
    left out."""
    if el.tag in _SKIP_TAGS or el is skip:
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _visible_texts(child, skip)
        if child.tail:
            yield child.tail


def _needles(*phrase_sets: PhraseSet) -> tuple[set[str], set[str]]:
    """The text-node pre-test of label lists, generated from their phrases: per phrase, a plain ASCII word
    of it (a space in a phrase is at least one non-word character in the text, so the word starts a word
    there), none when one of its words already is a needle ("by" for "written by"), else its longest; a phrase
    without such a word gives its longest plain run, found anywhere ("daction" of "rédaction")."""
    at_start, anywhere = set(), set()
    phrases = sorted((p.casefold() for ps in phrase_sets for p in ps.phrases), key=lambda p: (len(p.split()), p))
    for phrase in phrases:
        words = [w for w in (w.rstrip(":") for w in phrase.split()) if w.isascii() and w.isalpha()]
        if any(w.startswith(needle) for w in words for needle in at_start):
            continue
        if words:
            at_start.add(max(words, key=len))
        elif not any(needle in phrase for needle in anywhere):
            anywhere.add(max(re.findall(r"[a-z]+", phrase), key=len))
    return at_start, anywhere


_NEEDLES_AT_START, _NEEDLES_ANYWHERE = _needles(AUTHOR_LABELS, REVIEW_LABELS)


def _has_label(text: str) -> bool:
    label = REVIEW_RE.search(text) or AUTHOR_RE.search(text)
    return label is not None and bool(text[label.end():].strip())


def _label_texts(page: Page) -> list[tuple[str, etree._Element]]:
    """Short texts of elements that hold a byline label, with their element: the label's text node's parent,
    or the nearest of its two ancestors whose text holds a label followed by something."""
    index = page.short_text_index
    hits = set(index.find(_NEEDLES_AT_START, word_start=True)) | set(index.find(_NEEDLES_ANYWHERE))
    out: list[tuple[str, etree._Element]] = []
    looked_at: set[etree._Element] = set()  # label words often share their container
    for hit in sorted(hits):
        node = page.short_texts[hit]
        container = node.getparent()
        if node.is_tail:
            container = container.getparent()
        below = None  # the text of the element below, whose labels were already looked for
        for _ in range(3):
            if container is None or container in looked_at:
                break
            looked_at.add(container)
            full = _text_up_to(container, BYLINE_MAX)
            if full is None:
                break
            if full != below and _has_label(full):  # a wrapper with its child's text holds no other label
                out.append((full, container))
                break
            below, container = full, container.getparent()
    return out


# in a class or id, anywhere: "c-comments", "relatedPosts"
_FURNITURE_CLASSES = ("comment", "related", "recommend", "newsletter", "promo", "cookie", "footer", "navbar", "menu",
                      "teaser", "more-from", "morefrom", "sidebar", "widget", "popular", "trending")
_FURNITURE_HINT = re.compile("|".join(_FURNITURE_CLASSES))


# the titles of blocks of other stories ("More from", "À lire aussi", "Mehr zum Thema"), from language data
FURNITURE_TITLES = GatedPattern(langdata.words("people", "furniture_words"))
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
FURNITURE_TITLE_MAX = 100  # characters


def _titled_as_furniture(node: etree._Element) -> bool:
    """Whether a block's title (its first child, or the heading just before it) names other stories."""
    titles = [node[0]] if len(node) else []
    previous = node.getprevious()
    if previous is not None:
        titles.append(previous)
    for title in titles:
        if isinstance(title.tag, str) and (title.tag in _HEADINGS or "title" in (title.get("class") or "")):
            text = _text_up_to(title, FURNITURE_TITLE_MAX) or ""  # a title is short: a longer one is read no further
            match = FURNITURE_TITLES.search(text)
            if match is not None and match.start() == 0:
                return True
    return False


def _in_furniture(el: etree._Element, page: Page) -> bool:
    """Site navigation, footers, comments and related-content blocks: their bylines are other stories'."""
    node = el
    while node is not None and node is not page.main:
        tag = node.tag
        if tag in ("nav", "footer") or node.get("role") in ("navigation", "contentinfo"):
            return True
        names, ident = node.get("class"), node.get("id")
        if (names or ident) and tag not in ("body", "html") and \
                _FURNITURE_HINT.search(f"{names or ''} {ident or ''}".lower()):
            return True
        if node is not el and _titled_as_furniture(node):
            return True
        node = node.getparent()
    return False


class _Byline:
    """A visible candidate: its people, element, and the evidence."""

    __slots__ = ("people", "element", "evidence", "url_of", "late")

    def __init__(self, people: list[dict], element: etree._Element, evidence: str, url_of: dict, late: bool):
        self.people, self.element, self.evidence, self.url_of, self.late = people, element, evidence, url_of, late


def _links_of(el: etree._Element) -> list[etree._Element]:
    return [a for a in ([el] if el.tag == "a" else el.iter("a")) if a.get("href")]


def _url_for(name: str, links: list[etree._Element], page: Page) -> str | None:
    for link in links:
        linked = parse_person(clean_text(text_of(link)))
        if linked and person_key(linked["name"]) == person_key(name):
            url = page.absolute(link.get("href"))
            return url if url and url.startswith("http") else None
    return None


def _inside_any(matches: list[re.Match], position: int) -> bool:
    return any(m.start() <= position < m.end() for m in matches)


def _labelled_people(text: str, pattern: GatedPattern, skip: list[re.Match],
                     links: list[etree._Element]) -> list[dict]:
    """The people named after each label of `pattern` in a byline's text."""
    found: list[dict] = []
    for match in pattern.finditer(text):
        if _inside_any(skip, match.start()):
            continue
        label = " ".join(match.group(1).split()).casefold()
        bare = label in _BARE_LABELS
        before = text[:match.start()]
        if bare and before and not _BYLINE_START.search(before):
            continue  # "by" in the middle of a sentence is prose, not a byline
        if pattern is AUTHOR_RE and len(text) > PROSE_MIN and _PROSE_BEFORE.search(before):
            continue  # nor, in a paragraph, "... the speech written by ..."
        for person in parse_people(text[match.end():]):
            if person["type"] == "Organization" or looks_like_person(person["name"], strict=bare):
                found.append(_bounded_by_link(person, links))
    return found


def _bounded_by_link(person: dict, links: list[etree._Element]) -> dict:
    """A name read past its link's end is cut there: "By <a>Kelli Miller</a> WebMD Health News"."""
    for link in links:
        linked = parse_person(clean_text(text_of(link)))
        if linked and person["name"].startswith(linked["name"] + " "):
            return {**person, "name": linked["name"], "type": "Person"}  # not "Kelli Miller WebMD Health News"
    return person


def _visible_bylines(page: Page, author_boxes: bool) -> tuple[list[_Byline], list[_Byline]]:
    """(author bylines, reviewer bylines) outside the page's furniture; elements classed as author count too
    when `author_boxes` and no label names an author (their scan costs a pass over the page)."""
    authors: list[_Byline] = []
    reviewers: list[_Byline] = []
    after_main = _AfterMain(page.main)
    for text, el in _label_texts(page):
        if _in_furniture(el, page):
            continue
        reviews = list(REVIEW_RE.finditer(text))
        late = after_main(el)
        links = _links_of(el)
        for target, people in ((reviewers, _labelled_people(text, REVIEW_RE, [], links)),
                               (authors, _labelled_people(text, AUTHOR_RE, reviews, links))):
            if people:
                target.append(_Byline(people, el, text[:200], {p["name"]: _url_for(p["name"], links, page)
                                                               for p in people}, late))
    if authors or not author_boxes:
        return authors, reviewers
    for el in _author_boxes(page.root):
        if not _AUTHOR_CLASS.search(el.get("class") or "") or _in_furniture(el, page):
            continue
        text = _text_up_to(el, AUTHOR_BOX_MAX)
        if not text or REVIEW_RE.search(text):
            continue
        match = AUTHOR_RE.search(text)
        rest = text[match.end():] if match and match.start() == 0 else text
        people = [p for p in parse_people(rest) if p["type"] == "Person" and looks_like_person(p["name"], True)]
        if people:
            links = _links_of(el)
            authors.append(_Byline(people, el, text, {p["name"]: _url_for(p["name"], links, page) for p in people},
                                   after_main(el)))
    return authors, reviewers


# classes that mark an author's name or box: the pre-test and the pattern come from the same words
_AUTHOR_CLASS_WORDS = ("author", "byline", "auteur", "autor", "signature")
_AUTHOR_CLASS_HINT = re.compile("|".join(_AUTHOR_CLASS_WORDS), re.I)  # the pre-test: any of the words, anywhere
_AUTHOR_CLASS = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(_AUTHOR_CLASS_WORDS) + r")(?:[-_]{1,2}(?:name|link|title))?(?:$|\s)", re.I)


_BODY_CLASSES = etree.XPath("/html/body//*/@class")  # the class attributes of the body, in document order, in C


def _author_boxes(root: etree._Element) -> Iterator[etree._Element]:
    """Elements of the body whose class holds an author word, in document order."""
    for names in _BODY_CLASSES(root):
        if _AUTHOR_CLASS_HINT.search(names):
            yield names.getparent()


def _headline(page: Page) -> etree._Element | None:
    """The article's headline: the first h1 in the main content, else the first h1 of the page."""
    first = None
    for h1 in page.root.iter("h1"):
        if first is None:
            first = h1
        node = h1
        while node is not None and node is not page.main:
            node = node.getparent()
        if node is page.main:
            return h1
    return first


def _primary(bylines: list[_Byline], page: Page) -> _Byline | None:
    """The article's own byline: of those inside or before the article, the one sharing the smallest block with
    its headline (a byline after the headline first, then the nearest); a byline after the article only when
    there is no other."""
    if not bylines:
        return None
    early = [b for b in bylines if not b.late] or bylines
    if len(early) == 1:
        return early[0]
    headline = _headline(page)
    if headline is None:
        headline = page.main
    # the headline's ancestors: how far up each is, and its child on the way down to the headline
    height: dict[etree._Element, int] = {headline: 0}
    toward_headline: dict[etree._Element, etree._Element] = {}
    child = headline
    for up, node in enumerate(headline.iterancestors(), start=1):
        height[node], toward_headline[node] = up, child
        child = node

    def closeness(byline: _Byline) -> tuple[int, int, int]:
        child, node = None, byline.element
        while node not in height:
            child, node = node, node.getparent()
        if child is None or node is headline:
            return (height[node], 0, 0)
        gap = node.index(child) - node.index(toward_headline[node])
        return (height[node], gap < 0, abs(gap))

    return min(early, key=closeness)


HEADLINE_BLOCK_LEVELS = 3  # a byline in the block of the headline's third ancestor sits with the headline


def _near_headline(el: etree._Element, headline: etree._Element | None) -> bool:
    if headline is None:
        return False
    block = headline
    for _ in range(HEADLINE_BLOCK_LEVELS):
        if block.getparent() is None:
            break
        block = block.getparent()
    return el is block or any(node is block for node in el.iterancestors())


def _settle(target: _People, bylines: list[_Byline], page: Page, role_has_markup: bool) -> None:
    """Add the article's own byline's people, then those of other bylines who are already known.

    When the markup names people, a byline naming someone else counts only beside the headline: elsewhere
    it is most often another story's card."""
    primary = _primary(bylines, page)
    if primary is not None and primary.late and target.entries:
        primary = None  # after the article, with the markup's answer: cards of other stories
    marked_people = any(e["type"] == "Person" for e in target.entries)
    if primary is not None and marked_people and not any(p["name"] in target for p in primary.people) \
            and not _near_headline(primary.element, _headline(page)):
        primary = None
    for byline in bylines:
        where = "article" if not byline.late else "end"
        for person in byline.people:
            if byline is primary or person["name"] in target:
                kind = person["type"]
                if kind == "Organization" and role_has_markup:
                    continue
                target.add(person["name"], person["credentials"], "byline", byline.url_of.get(person["name"]),
                           kind=kind, evidence=byline.evidence, where=where)


# Every common meta convention for an article's author, the most specific first: a site's generic `author`
# meta often names the site, so it counts only when no specific convention names anyone. Contributors add.
_META_SPECIFIC = ("article:author", "parsely-author", "sailthru.author", "cxenseparse:author", "dc.creator",
                  "dcterms.creator", "citation_author")
_META_GENERIC = ("author", "byl", "twitter label")
_META_CONTRIBUTORS = ("dc.contributor", "dcterms.contributor")
_LAST_FIRST_META = ("dc.creator", "dcterms.creator", "dc.contributor", "dcterms.contributor", "citation_author")


def _meta_by_convention(page: Page) -> dict[str, list[str]]:
    """Meta values by convention: "dc:creator" read as "dc.creator", a space-separated property list
    ("dc:creator twitter:site_name") as each of its names, labelled pairs as "twitter label"."""
    found: dict[str, list[str]] = {"twitter label": _labelled_meta(page)}
    for key, values in page.meta.items():
        for name in key.split():
            if name.startswith(("dc:", "dcterms:")):
                name = name.replace(":", ".", 1)
            found.setdefault(name, []).extend(values)
    return found


def _labelled_meta(page: Page) -> list[str]:
    """Authors given as a labelled pair: twitter:label1 "Written by" with twitter:data1, or
    twitter:misc:Written by (the label read with the byline labels)."""
    values: list[str] = []
    for key, contents in page.meta.items():
        if key.startswith("twitter:label"):
            label = contents[0]
            data = page.meta.get("twitter:data" + key.removeprefix("twitter:label"))
        elif key.startswith("twitter:misc:"):
            label, data = key.removeprefix("twitter:misc:"), contents
        else:
            continue
        match = AUTHOR_RE.search(label)
        if data and match and match.start() == 0 and match.end() == len(label):
            values.extend(data)
    return values


def _from_meta(page: Page, authors: _People, new_allowed: bool) -> None:
    """Meta authors corroborate those found; they name new ones only when nothing visible or marked up does."""
    meta = _meta_by_convention(page)
    named = False
    for group in (_META_SPECIFIC, _META_GENERIC, _META_CONTRIBUTORS):
        if named and group is _META_GENERIC:
            continue
        for key in group:
            for value in meta.get(key, []):
                named |= _add_meta_value(authors, value, key in _LAST_FIRST_META, new_allowed)


def _add_meta_value(authors: _People, value: str, last_first: bool, new_allowed: bool) -> bool:
    """Read one meta value into `authors`; whether it names anyone."""
    if value.startswith(("http", "@")):
        return False
    label = AUTHOR_RE.search(value)
    if label and label.start() == 0:  # "By Jane Roe"
        value = value[label.end():]
    last_first = last_first and value.count(",") == 1 and " and " not in value
    named = False
    for person in parse_people(value, last_first=last_first):
        if person["name"] in authors:
            authors.add(person["name"], person["credentials"], "meta", where="meta")
            named = True
        elif person["type"] == "Organization" or looks_like_person(person["name"]):
            named = True
            if new_allowed:
                authors.add(person["name"], person["credentials"], "meta", kind=person["type"], where="meta")
    return named


def _from_author_links(page: Page, authors: _People, new_allowed: bool) -> None:
    for link in page.links:
        if "author" in link.rel.split() and link.text:
            for person in parse_people(link.text):
                if person["type"] == "Person" and looks_like_person(person["name"], strict=True) and \
                        (new_allowed or person["name"] in authors):
                    authors.add(person["name"], person["credentials"], "byline", link.url, where="link")


_MONTHS = "|".join(re.escape(m) for m in sorted(langdata.mapping("calendar", "months"), key=len, reverse=True))
# a date as a dateline writes it: 9/21/2016, 2016-09-21, March 3, 2024, 3 mars 2024, 3. März 2024
_DATE_IN_LINE = re.compile(
    rf"(?<!\w)(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:er|\.)?\s+(?:{_MONTHS})\.?\s+\d{{4}})(?!\w)",
    re.I)
DATELINE_PIECES = 40  # texts of the headline's block read for an unlabelled dateline


def _whole_name(text: str) -> dict | None:
    """The person a text is, when it is nothing but a name ("Lizette Borreli"), else None."""
    people = parse_people(text)
    if len(people) != 1 or people[0]["type"] != "Person":
        return None
    person = people[0]
    tokens = text.strip(" ,;|·•-–—").split()
    if len(person["name"].split()) != len(tokens) or len(tokens) < 2 or not looks_like_person(person["name"]):
        return None
    return person


def _dateline_people(page: Page) -> tuple[list[dict], str] | None:
    """An unlabelled byline beside the date in the headline's block: a name line just above the date line,
    or a name beside the date ("Medical Daily 9/21/2016 Lizette Borreli")."""
    headline = _headline(page)
    if headline is None:
        return None
    block = headline
    for _ in range(HEADLINE_BLOCK_LEVELS):
        block = block.getparent() if block.getparent() is not None else block
    texts = (clean_text(t) for t in _visible_texts(block, skip=headline) if not t.isspace())
    pieces = list(islice(texts, DATELINE_PIECES))
    for index, piece in enumerate(pieces):
        date = _DATE_IN_LINE.search(piece)
        if date is None:
            continue
        for side in (piece[date.end():], piece[:date.start()]):
            person = _whole_name(side) if side.strip() else None
            if person:
                return [person], piece
        if index and (person := _whole_name(pieces[index - 1])):
            return [person], f"{pieces[index - 1]} {piece}"
        return None  # the first date line decides
    return None


def extract_people(page: Page, page_node: dict | None) -> tuple[list[dict], list[dict]]:
    """(authors, reviewers), each a list of {name, credentials, url, same_as, source, sources, type, evidence,
    where}."""
    authors, reviewers = _People(), _People()
    if page_node is not None:
        _from_markup(authors, page_node.get("author"), page)
        _from_markup(reviewers, page_node.get("reviewedBy"), page)
    marked_people = any(a["type"] == "Person" for a in authors.entries)  # an organisation alone is often the site
    author_bylines, reviewer_bylines = _visible_bylines(page, author_boxes=not marked_people)
    _settle(reviewers, reviewer_bylines, page, bool(reviewers.entries))
    _settle(authors, author_bylines, page, bool(authors.entries))
    if not authors.entries and (dateline := _dateline_people(page)):
        people, evidence = dateline
        for person in people:
            authors.add(person["name"], person["credentials"], "byline", evidence=evidence, where="dateline")
    new_allowed = not authors.entries
    _from_meta(page, authors, new_allowed)
    _from_author_links(page, authors, new_allowed)
    # someone named as reviewer is not also an author because a bare "by" matched their line
    author_list = [a for a in authors.entries if not (a["source"] != "markup" and a["name"] in reviewers
                                                      and "markup" not in a["sources"])]
    if any(a["type"] == "Person" for a in author_list):
        # the site named as its own author beside a person is the publisher, not a second author
        site = _site_names(page, page_node)
        author_list = [a for a in author_list if a["type"] == "Person" or person_key(a["name"]) not in site]
    return author_list, reviewers.entries


def _site_names(page: Page, page_node: dict | None) -> set[str]:
    """Keys of the names the site goes by: the markup's publisher, og:site_name, application-name."""
    names = [_first_text((page_node or {}).get("publisher"))] + page.meta.get("og:site_name", []) + \
        page.meta.get("application-name", [])
    return {person_key(name) for name in names if name}
