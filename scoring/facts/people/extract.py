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
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

from scoring import langdata
from scoring.facts.people.bylines import (
    AUTHOR_BOX_MAX,
    AUTHOR_RE,
    HEADLINE_BLOCK_LEVELS,
    Byline,
    headline_element,
    near_headline,
    primary_byline,
    visible_bylines,
    visible_texts,
)
from scoring.facts.people.credentials import canonical, honorific
from scoring.facts.people.names import (
    CJK,
    credentials_in,
    looks_like_person,
    parse_people,
    person_key,
)
from scoring.page.index import clean_text
from scoring.page.model import Page

__all__ = ["extract_people"]


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


def _settle(target: _People, bylines: list[Byline], page: Page, role_has_markup: bool) -> None:
    """Add the article's own byline's people, then those of other bylines who are already known.

    When the markup names people, a byline naming someone else counts only beside the headline: elsewhere
    it is most often another story's card."""
    primary = primary_byline(bylines, page)
    if primary is not None and primary.late and target.entries:
        primary = None  # after the article, with the markup's answer: cards of other stories
    marked_people = any(e["type"] == "Person" for e in target.entries)
    if primary is not None and marked_people and not any(p["name"] in target for p in primary.people) \
            and not near_headline(primary.element, headline_element(page)):
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
    headline = headline_element(page)
    if headline is None:
        return None
    block = headline
    for _ in range(HEADLINE_BLOCK_LEVELS):
        block = block.getparent() if block.getparent() is not None else block
    texts = (clean_text(t) for t in visible_texts(block, skip=headline) if not t.isspace())
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


SIGNATURE_FIRST = 3  # paragraphs opening the article read for a signature line


def _signature_people(page: Page) -> tuple[list[dict], str] | None:
    """A signature line: one of the article's first paragraphs, or its last, that is nothing but names in bold
    ("<p><strong>Jane Roe/John Doe</strong></p>"), as some sites sign without any label."""
    paragraphs = [b for b in page.text_blocks if b.tag == "p"]
    for block in paragraphs[:SIGNATURE_FIRST] + paragraphs[-1:]:
        el = block.element
        if len(el) != 1 or el[0].tag not in ("strong", "b") or (el.text or "").strip() or \
                (el[0].tail or "").strip() or len(block.text) > AUTHOR_BOX_MAX:
            continue
        people = [_whole_name(piece) for piece in block.text.split("/")]
        if people and all(people):
            return people, block.text
    return None


def extract_people(page: Page, page_node: dict | None) -> tuple[list[dict], list[dict]]:
    """(authors, reviewers), each a list of {name, credentials, url, same_as, source, sources, type, evidence,
    where}."""
    authors, reviewers = _People(), _People()
    if page_node is not None:
        _from_markup(authors, page_node.get("author"), page)
        _from_markup(reviewers, page_node.get("reviewedBy"), page)
    site = _site_names(page, page_node)
    # the site marked up as its own author (as an Organization or a Person) says nothing of who wrote: the
    # visible bylines are read as if the markup were silent, and the site stays only when no person is found
    site_only = bool(authors.entries) and all(person_key(a["name"]) in site for a in authors.entries)
    set_aside: list[dict[str, Any]] = []
    if site_only:
        set_aside, authors = authors.entries, _People()
    marked_people = any(a["type"] == "Person" for a in authors.entries)  # an organisation alone is often the site
    author_bylines, reviewer_bylines = visible_bylines(page, author_boxes=not marked_people)
    _settle(reviewers, reviewer_bylines, page, bool(reviewers.entries))
    _settle(authors, author_bylines, page, bool(authors.entries))
    if not authors.entries and (dateline := _dateline_people(page)):
        people, evidence = dateline
        for person in people:
            authors.add(person["name"], person["credentials"], "byline", evidence=evidence, where="dateline")
    if not any(a["type"] == "Person" and person_key(a["name"]) not in site for a in authors.entries) and \
            (signature := _signature_people(page)):
        people, evidence = signature
        authors = _People() if site_only else authors
        for person in people:
            authors.add(person["name"], person["credentials"], "byline", evidence=evidence, where="signature")
    new_allowed = not authors.entries
    _from_meta(page, authors, new_allowed)
    _from_author_links(page, authors, new_allowed)
    if site_only and not any(a["type"] == "Person" and person_key(a["name"]) not in site for a in authors.entries):
        authors = _with_entries(set_aside + authors.entries)  # no person found: the site is all the page says
    # someone named as reviewer is not also an author because a bare "by" matched their line
    author_list = [a for a in authors.entries if not (a["source"] != "markup" and a["name"] in reviewers
                                                      and "markup" not in a["sources"])]
    if any(a["type"] == "Person" and person_key(a["name"]) not in site for a in author_list):
        # the site named as its own author beside a person is the publisher, not a second author
        author_list = [a for a in author_list if person_key(a["name"]) not in site]
    return author_list, reviewers.entries


def _with_entries(entries: list[dict[str, Any]]) -> _People:
    """A collection of these entries, merged by person, their sources kept."""
    people = _People()
    for entry in entries:
        for source in entry["sources"] or [entry["source"]]:
            people.add(entry["name"], entry["credentials"], source, entry["url"], entry["same_as"], entry["type"],
                       entry.get("evidence"), entry.get("where"))
    return people


def _site_names(page: Page, page_node: dict | None) -> set[str]:
    """Keys of the names the site goes by: the markup's publisher, og:site_name, application-name."""
    names = [_first_text((page_node or {}).get("publisher"))] + page.meta.get("og:site_name", []) + \
        page.meta.get("application-name", [])
    keys = {person_key(name) for name in names if name}
    host = urlsplit(page.url or "").hostname or ""
    labels = host.removeprefix("www.").split(".")
    if len(labels) >= 2 and len(labels[0]) >= 4:
        keys.add(labels[0])  # the site's own host name ("example-news" of www.example-news.org) as one word
    return keys
