"""Publication, update and review dates of a page, read the way a careful reader does.

`extract_dates(page, page_node)` gathers candidates from every source: schema.org markup of the page's main
node, every common meta convention, `<time>` elements (by their label, itemprop or class), dates written next
to a label in EN/FR/DE/ES ("Updated on March 3, 2023", "Mis à jour le 12 mars 2024", "Stand: 27.1.2022",
"Publicado el 3 de marzo de 2024"; phrases in `scoring/lang/<code>/dates.json`), each carrying what it is
(published, updated, reviewed, next review). Navigation, sidebars, the site's header and footer, links,
comments and customer reviews do not count. The original publication date is the earliest one the page
states; without one, a date line beside the headline, the URL's date, then htmldate (fast, then its extensive
search for a day the page shows as a date line).

Dates are ISO 8601 strings (see `datetext`): a timestamp keeps its offset, the page's own one where the page
gives it, so `iso[:10]` is always the page's local day.

Cost: one walk over the body's short text nodes for labels (gated by a pre-test generated from the same
phrase list as the label regex), and a bounded walk beside the headline.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from scoring import langdata
from scoring.facts.dates.fallbacks import date_in_url, date_lines, headline_date, htmldate_guess, written_as
from scoring.facts.dates.labels import (
    DATELINE,
    DATELINE_DASH,
    DAY_FIRST_LANGS,
    KEYWORDS,
    LABEL_KINDS,
    MAX_TEXT,
    SITE_WIDE,
    SKIP_SUBTREE,
    first_label,
    in_furniture,
    label_snippet,
    labels_at_starts,
    next_label,
)
from scoring.facts.dates.settle import (
    FIELDS,
    KIND_FIELD,
    confirmed,
    in_page_offset,
    moment_of,
    original_publication,
    other_reading,
)
from scoring.facts.dates.text import (
    FUTURE_SLACK,
    LABEL_LANGS,
    Parsed,
    current_day,
    date_at,
    parse_date,
)
from scoring.page.index import clean_text
from scoring.page.model import Page

__all__ = ["extract_dates"]

# ------------------------------------------------------------------ meta tags

_META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "datepublished", "citation_online_date", "citation_publication_date", "citation_date",
    "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created", "dc:date.created",
    "dc.date", "dcterms.date", "dc:date", "date", "prism.publicationdate", "sailthru.date",
    "parsely-pub-date", "publish-date", "publish_date", "publishdate", "pubdate", "pub_date",
    "publication_date", "article.published", "original-publish-date", "cdc:first_published",
)
_META_MODIFIED = (
    "article:modified_time", "og:article:modified_time", "article:modified", "og:updated_time",
    "datemodified", "dcterms.modified", "dc.date.modified", "dc:date.modified", "modified",
    "last-modified", "lastmod", "last_updated", "last-updated", "cdc:last_updated", "updated_time",
    "revised", "sailthru.lastmodified",
)

# ------------------------------------------------------------------ <time> elements

_HINT_REVIEWED = re.compile(r"review", re.I)
_HINT_UPDATED = re.compile(r"updat|modif|revis|last[-_]?mod", re.I)
_HINT_PUBLISHED = re.compile(r"publi|pubdate|posted|created|date[-_]?pub|entry[-_]date|post[-_]date|"
                             r"article[-_]date|dateline|byline", re.I)

_DAY_FIRST_TLDS = (".uk", ".ie", ".au", ".nz", ".in", ".za", ".fr", ".de", ".be", ".ch", ".at")


_MONTH_FIRST_REGIONS = frozenset(langdata.words("dates", "month_first_regions", LABEL_LANGS))


def _day_first(page: Page) -> bool:
    """Whether the page writes numeric dates day first (3/9/2021 = 3 September): from the region of its
    language tags (`lang`, og:locale, content-language), else its language (English alone: month first unless
    the host is under a day-first country domain), else the host."""
    tags = [tag.lower().replace("_", "-").split("-") for tag in (
        page.html_lang, page.meta_first("og:locale"), page.meta_first("content-language", "dc.language", "language"))
        if tag]
    lang = tags[0][0] if tags else ""
    region = next((tag[1] for tag in tags if len(tag) > 1 and tag[0] == lang), "")
    if region:
        return region not in _MONTH_FIRST_REGIONS
    if lang and lang != "en":
        return True
    return page.host.endswith(_DAY_FIRST_TLDS)


def _is_outbound(a: etree._Element) -> bool:
    """A link to another page (not a button-like <a> without href, nor an in-page anchor)."""
    href = a.get("href")
    return bool(href) and not href.lstrip().startswith(("#", "javascript:"))


class _Collector:
    """The page's short text nodes where dates may be written, in document order, each with its element.

    The texts come from `page.short_texts` (shared with the byline search); a text counts only when it is
    at most MAX_TEXT long and outside SKIP_SUBTREE elements and the page's own <footer> (an <article>'s
    or <main>'s footer holds dates). Where a text sits is only worked out for the few texts the date search
    reaches: walking the whole body for it cost more than the search.
    """

    __slots__ = ("texts", "main", "body", "_hits", "_context")

    def __init__(self, page: Page):
        self.texts: list = page.short_texts
        self.main = page.main
        self.body = page.root.find("body")
        self._hits = page.short_text_index.find(KEYWORDS) if self.body is not None else []
        self._context: dict[int, tuple[bool, bool]] = {}

    def keyword_hits(self) -> list[int]:
        """Indexes of the usable text nodes holding a label keyword where a label opens the text (the cheap
        tests first: where a text sits costs a walk up the tree)."""
        texts = self.texts
        return [i for i in self._hits if len(texts[i]) <= MAX_TEXT and first_label(texts[i]) and self.usable(i)]

    def usable(self, index: int) -> bool:
        return len(self.texts[index]) <= MAX_TEXT and not self.context(index)[0]

    def following(self, index: int, count: int) -> list[int]:
        """The next `count` usable texts after index."""
        found: list[int] = []
        for j in range(index + 1, len(self.texts)):
            if len(found) == count:
                break
            if self.usable(j):
                found.append(j)
        return found

    def preceding(self, index: int) -> int | None:
        for j in range(index - 1, -1, -1):
            if self.usable(j):
                return j
        return None

    def in_link(self, index: int) -> bool:
        return self.context(index)[1]

    def context(self, index: int) -> tuple[bool, bool]:
        """(hidden from the date search, inside an outbound link) for a text."""
        found = self._context.get(index)
        if found is None:
            text = self.texts[index]
            el = text.getparent()
            found = self._context[index] = self.where(el.getparent() if text.is_tail else el)
        return found

    def where(self, el: etree._Element | None) -> tuple[bool, bool]:
        """(hidden, inside an outbound link) for an element's own content."""
        path = []
        while el is not None and el is not self.body:
            path.append(el)
            el = el.getparent()
        if el is None:
            return True, False
        sheltered = links = 0
        for node in reversed(path):  # from the top down, as a reader meets them
            tag = node.tag
            if tag in SKIP_SUBTREE or (tag == "footer" and not sheltered):
                return True, False
            if tag == "a" and _is_outbound(node):
                links += 1
            if tag in ("article", "main") or node is self.main:
                sheltered += 1
        return False, links > 0

    def times(self) -> list[tuple[etree._Element, bool]]:
        """The visible <time> elements, each with whether it sits in an outbound link."""
        out = []
        for el in self.body.iter("time") if self.body is not None else ():
            hidden, in_link = self.where(el)
            if not hidden:
                out.append((el, in_link))
        return out

    def element(self, index: int) -> etree._Element:
        text = self.texts[index]
        el = text.getparent()
        return el.getparent() if text.is_tail and el.getparent() is not None else el

    def time_of(self, index: int) -> etree._Element | None:
        """The <time> element whose text this is, if any."""
        text = self.texts[index]
        if text.is_tail:
            return None
        el = text.getparent()
        for candidate in (el, el.getparent()):
            if candidate is not None and candidate.tag == "time":
                return candidate
        return None


def _time_value(el: etree._Element, fallback: Parsed | None, day_first: bool, today: date) -> Parsed | None:
    # microdata puts the machine-readable value in `content` ("<time itemprop=datePublished content=…>")
    value = el.get("datetime") or el.get("content") or ""
    return parse_date(value, day_first=day_first, today=today) or fallback


def _time_hint(el: etree._Element, levels: int = 3) -> str | None:
    """published/updated/reviewed from the attributes of a <time> and of its parents."""
    if el.get("pubdate") is not None:
        return "published"
    prop = (el.get("itemprop") or "").lower()
    if prop in ("datepublished", "datecreated"):
        return "published"
    if prop == "datemodified":
        return "updated"
    node = el
    for _ in range(levels):
        if node is None:
            break
        hint = f"{node.get('class') or ''} {node.get('id') or ''}"
        if hint.strip():
            if _HINT_PUBLISHED.search(hint):
                return "published"
            if _HINT_UPDATED.search(hint):
                return "updated"
            if _HINT_REVIEWED.search(hint):
                return "reviewed"
        node = node.getparent()
    return None


def _visible_dates(col: _Collector, main, day_first: bool, today: date):
    """Labelled dates in the text: visible entries and the <time> elements they label."""
    texts = col.texts
    latest = today + FUTURE_SLACK
    visible: list[tuple[dict, Parsed]] = []
    labelled_times: list[tuple[str, Parsed]] = []  # (kind, date)
    used: set[int] = set()

    def record(kind: str, label: str, parsed: Parsed, index: int, snippet: str) -> None:
        visible.append(({"label": clean_text(label), "kind": kind, "date": parsed[0], "text": snippet}, parsed))
        el = col.time_of(index)
        if el is not None and kind != "next_review":
            labelled_times.append((kind, _time_value(el, parsed, day_first, today)))

    for i in col.keyword_hits():
        if i in used or col.in_link(i):  # label text inside a link: another page's
            continue
        text = texts[i]
        candidates = labels_at_starts(text)
        match = next(candidates, None)
        if match is None:
            continue
        lead = text[:match.start()]
        if SITE_WIDE.search(lead) or in_furniture(col.element(i), main):
            continue
        first = True
        while match is not None:
            kind, lang = LABEL_KINDS[int(match.lastgroup[1:])]
            first_day = True if lang in DAY_FIRST_LANGS else day_first
            limit = latest if kind != "next_review" else None
            parsed, stop = date_at(text, match.end(), first_day, limit)
            if parsed:
                record(kind, match.group(0), parsed, i, label_snippet(text))
                match = next_label(text, stop)
                first = False
                continue
            if text[stop:].strip(" \t\r\n:.-–—|"):
                # the label is followed by something else ("Updated by …"): a later part of the line may be dated
                after = match.start()
                match = next((m for m in candidates if m.start() > after), None)
                continue
            # label alone in its node: the date is in the next text node(s), or just before
            for j in col.following(i, 2):
                parsed, _ = date_at(texts[j], 0, first_day, limit)
                if parsed:
                    record(kind, match.group(0), parsed, j, label_snippet(text, texts[j]))
                    used.add(j)
                    break
                if first_label(texts[j]):
                    break
            else:
                previous = col.preceding(i) if first and not lead.strip(" \t\r\n|•·–—-") else None
                if previous is not None:
                    before = texts[previous].strip(" \t\r\n|•·–—-")
                    parsed, stop = date_at(before, 0, first_day, limit)
                    if parsed and stop == len(before):
                        record(kind, match.group(0), parsed, previous, label_snippet(texts[previous], text))
            break
    return visible, labelled_times


def _dateline(page: Page, day_first: bool, today: date) -> tuple[dict, Parsed] | None:
    """A news dateline opening the article: "Feb. 23, 2015 -- Life-threatening peanut allergies…"."""
    for block in page.text_blocks[:3]:
        text = block.text
        pos = DATELINE.match(text).end()
        parsed, stop = date_at(text, pos, day_first, today + FUTURE_SLACK)
        if parsed and DATELINE_DASH.match(text, stop):
            # the page writes no label: where the date was read is a code, never shown as the page's words
            return ({"label": None, "where": "dateline", "kind": "published", "date": parsed[0],
                     "text": label_snippet(text[:stop + 4])}, parsed)
    return None


_SHOWN = ("visible", "time")


def _shown_first(options: list[tuple[Parsed, str]]) -> tuple[Parsed, str]:
    """The update or review date the page shows its reader, when it shows one: a CMS's markup and meta tags often
    carry the last technical save ("dateModified" months after the "Mis à jour le" the page writes)."""
    shown = next((option for option in options if option[1] in _SHOWN), None)
    if shown is None:
        return options[0]
    # the same day (or month, when the page shows a month) given more precisely is the same date
    same = 7 if shown[0][1] == "month" else 10
    return next(option for option in options if option[0][0][:same] == shown[0][0][:same])


def extract_dates(page: Page, page_node: dict | None, *, today: date | None = None,
                  use_htmldate: bool = True) -> dict:
    """Publication, modification and review dates of a page, with where each was found.

    Returns {"date_published", "date_modified", "last_reviewed": ISO string or None,
    "visible": [{"label", "kind", "date", "text"}, ...] (labelled dates written in the page, in
    document order; kind is published/updated/reviewed/next_review), "sources": {field: "markup"|
    "meta"|"time"|"visible"|"headline"|"url"|"htmldate"}, "precision": {field: "time"|"day"|"month"}}.
    The publication date is the earliest one the page states (markup, meta, <time>, a label); without one,
    a date on the headline's byline line, the URL's date, then htmldate. The update and review dates are the ones
    the page shows (a label, a <time>) when it shows one, else the markup's or the meta tags'. `last_reviewed`
    only ever comes from markup `lastReviewed` or a review label; nothing is copied from one field to another.
    """
    today = today or current_day()
    day_first = _day_first(page)
    candidates: dict[str, list[tuple[Parsed, str]]] = {field: [] for field, _ in FIELDS}

    def offer(field: str, parsed: Parsed | None, source: str) -> None:
        if parsed:
            candidates[field].append((parsed, source))

    def parse(value) -> Parsed | None:
        return parse_date(value, day_first=day_first, today=today)

    # 1. schema.org markup of the page's main node
    if page_node:
        for field, prop in FIELDS:
            offer(field, parse(page_node.get(prop)), "markup")
        if not page_node.get("datePublished"):  # a CMS's dateCreated is often the draft's, days before
            offer("date_published", parse(page_node.get("dateCreated")), "markup")

    # 2. meta tags: every convention the page uses
    meta = page.meta
    for field, keys in (("date_published", _META_PUBLISHED), ("date_modified", _META_MODIFIED)):
        for key in keys:
            values = meta.get(key)
            if values:
                offer(field, parse(values), "meta")

    # 3 and 4. <time> elements and visible labelled dates, from one walk over the body
    col = _Collector(page)
    visible, labelled_times = _visible_dates(col, page.main, day_first, today)
    for kind, parsed in labelled_times:
        offer(KIND_FIELD[kind], parsed, "time")
    hinted: set[str] = set()
    for el, in_link in col.times():
        # in a link (lists of other articles, permalinks), trust only the element's own attributes
        hint = _time_hint(el, 1 if in_link else 3)
        if hint is None or hint in hinted or not (el.get("datetime") or el.get("content")):
            continue
        if in_furniture(el, page.main):
            continue
        parsed = _time_value(el, None, day_first, today)
        if parsed:
            hinted.add(hint)  # the first of each kind: later ones date comments and teasers
            offer(KIND_FIELD[hint], parsed, "time")
    dateline = _dateline(page, day_first, today)
    if dateline:
        visible.append(dateline)
    # an ambiguous numeric date (3/4/2021) takes the reading the page's machine-readable dates confirm
    url_date = date_in_url(page, today)
    machine = {parsed[0][:10] for found in candidates.values() for parsed, _ in found} | (
        {url_date[0]} if url_date else set())
    visible = [confirmed(entry, parsed, machine) for entry, parsed in visible]
    firsts: set[str] = set()
    for entry, parsed in visible:
        field = KIND_FIELD.get(entry["kind"])
        if field and (field != "date_published" or field not in firsts):
            firsts.add(field)
            offer(field, parsed, "visible")

    # 5. without a stated publication date: the headline's date line, the URL, then htmldate
    known = {parsed[0][:10] for found in candidates.values() for parsed, _ in found}
    if not candidates["date_published"]:
        beside = headline_date(page, day_first, today, known)
        if beside:
            beside = confirmed(*beside, machine)
            visible.append(beside)
            offer("date_published", beside[1], "headline")
    if not candidates["date_published"]:
        offer("date_published", url_date, "url")
    if use_htmldate and not candidates["date_published"]:
        # htmldate cannot tell an update or review date from a publication date: a day we already know as one
        # is dropped; its extensive search is trusted only for a day the page writes out in full
        guess = htmldate_guess(page, today, extensive=False)
        written = guess and written_as(page, guess[0], day_first)
        if guess is None:
            lines = date_lines(page, day_first, today)
            guess = htmldate_guess(page, today, extensive=True) if lines else None
            written = "published" if guess and guess[0][:10] in lines else None
            guess = guess if written else None
        # nor is the other reading of a day the page labels ("Last updated: 6/12/2023" read day first)
        read_otherwise = {other_reading(entry["text"], entry["date"]) for entry, _ in visible}
        if guess and written in (None, "published") and guess[0][:10] not in known | read_otherwise:
            offer("date_published", guess, "htmldate")

    found: dict[str, tuple[Parsed, str]] = {}
    for field, options in candidates.items():
        if options:
            found[field] = original_publication(options) if field == "date_published" else _shown_first(options)
    offsets = [m.utcoffset() for options in candidates.values() for parsed, _ in options
               if (m := moment_of(parsed)) is not None]
    for field, (parsed, source) in found.items():
        kind = next(k for k, f in KIND_FIELD.items() if f == field)
        shown = [p for entry, p in visible if entry["kind"] == kind]
        found[field] = in_page_offset(parsed, offsets, shown), source

    result: dict = {field: None for field, _ in FIELDS}
    for field, ((iso, _), _) in found.items():
        result[field] = iso
    seen: set[tuple[str, str]] = set()
    result["visible"] = []
    for entry, _ in visible:  # the same byline is often printed twice (desktop and mobile)
        key = (entry["kind"], entry["date"])
        if key not in seen:
            seen.add(key)
            result["visible"].append(entry)
    result["sources"] = {field: source for field, (_, source) in found.items()}
    result["precision"] = {field: parsed[1] for field, (parsed, _) in found.items()}
    return result
