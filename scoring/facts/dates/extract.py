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
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from lxml import etree

from scoring import langdata
from scoring.facts.dates.text import (
    CONNECTOR,
    FUTURE_SLACK,
    LABEL_FILLER,
    LABEL_LANGS,
    MIN_YEAR,
    MONTHS,
    NUMERIC,
    ORDINAL,
    Parsed,
    alternation,
    build_date,
    current_day,
    date_at,
    find_written_date,
    parse_date,
    to_iso_date,
)
from scoring.page.model import Page, clean_text, is_furniture
from scoring.phrases import PhraseSet

__all__ = ["MIN_YEAR", "extract_dates", "find_label", "parse_date", "to_iso_date"]

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

# ------------------------------------------------------------------ visible labels

_DAY_FIRST_LANGS = frozenset({"fr", "de", "es"})
# label kinds in the order they are tried: "Next review due" is never a review date, "Reviewed by <name> on"
# before "Reviewed", and a generic "Date:" last
_LABEL_ORDER = ("next_review", "reviewed_by", "reviewed", "updated", "published_by", "published", "generic")
_KIND_OF = {"reviewed_by": "reviewed", "published_by": "published", "generic": "published"}
_NAME = r"\s+[^\n|•·]{2,80}?\s+"  # a reviewer's name between "reviewed by" and "on"


def _label_pattern() -> tuple[re.Pattern, list[tuple[str, str]], PhraseSet]:
    """One regex with a named group per (kind, language), and the phrase set whose generated pre-test guards it."""
    # "Updated by Jane Roe", "Published in The Lancet", "Originally published at example.com": who or where,
    # not when ("Published in 2019" and "Published at 10:30" still read)
    source = alternation(langdata.words("dates", "source_after_label", LABEL_LANGS))
    not_source = rf"(?![^\W_])(?!\s+(?:{source})(?:\s+[^\W\d_]|\s*$))"
    groups, kinds, everything = [], [], []
    for kind in _LABEL_ORDER:
        for lang in LABEL_LANGS:
            phrases = langdata.load("dates", lang).get(kind)
            if not phrases:
                continue
            everything.extend(phrases)
            body = PhraseSet(phrases).alternation
            if kind in ("reviewed_by", "published_by"):
                connectors = alternation(langdata.load("dates", lang).get("name_date_connectors", ()))
                body = rf"(?:{body}){_NAME}(?:{connectors})(?=\s)"
            elif kind == "generic":  # "Date:" or "Datum" alone: a bare "date" in a sentence is no label
                body = rf"(?:{body})(?=\s*[:：]|\s*$)"
            else:
                body = rf"(?:{body}){not_source}"
            groups.append(rf"(?P<g{len(kinds)}>(?<![^\W_]){body})")
            kinds.append((_KIND_OF.get(kind, kind), lang))
    return re.compile("|".join(groups), re.I), kinds, PhraseSet(everything)


_LABEL, _LABEL_KINDS, LABEL_PHRASES = _label_pattern()
# the generated pre-test, as lower-case needles for the page's text index; a text holding a character the
# pre-test cannot judge (phrases.fold) is always examined
_KEYWORDS = LABEL_PHRASES.anchors + ("ı", "ſ", "i̇")
_SITE_WIDE = re.compile(rf"\b(?:{PhraseSet(langdata.words('dates', 'site_wide', LABEL_LANGS)).alternation})\s*$",
                        re.I)


def find_label(text: str, pos: int = 0) -> re.Match | None:
    """The first date label in `text` from `pos`, searched only when the generated pre-test allows one."""
    return _LABEL.search(text, pos) if LABEL_PHRASES.possible(text) else None


_LEAD_SKIP = re.compile(r"\s*(?:(?![(\[])[\W\d_]){0,4}\s*")
_SEPARATOR = re.compile(r"[|•·–—\-/]\s*")
_LEAD_MAX = 32
_NEXT_LABEL_WINDOW = 40  # "Publié le 30 août 2023 à 14h52, modifié le …"
_DATELINE = re.compile(r"\s*(?:[A-Z][A-Z .'-]{1,30},\s+)?")
_DATELINE_DASH = re.compile(r"\s*(?:--|—|–|\s-\s)")
_MAX_TEXT = 250

# ------------------------------------------------------------------ <time> elements

_HINT_REVIEWED = re.compile(r"review", re.I)
_HINT_UPDATED = re.compile(r"updat|modif|revis|last[-_]?mod", re.I)
_HINT_PUBLISHED = re.compile(r"publi|pubdate|posted|created|date[-_]?pub|entry[-_]date|post[-_]date|"
                             r"article[-_]date|dateline|byline", re.I)

_SKIP_SUBTREE = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "select",
                           "textarea", "button", "nav", "aside", "object", "canvas"})
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
    at most _MAX_TEXT long and outside _SKIP_SUBTREE elements and the page's own <footer> (an <article>'s
    or <main>'s footer holds dates). Where a text sits is only worked out for the few texts the date search
    reaches: walking the whole body for it cost more than the search.
    """

    __slots__ = ("texts", "main", "body", "_hits", "_context")

    def __init__(self, page: Page):
        self.texts: list = page.short_texts
        self.main = page.main
        self.body = page.root.find("body")
        self._hits = page.short_text_index.find(_KEYWORDS) if self.body is not None else []
        self._context: dict[int, tuple[bool, bool]] = {}

    def keyword_hits(self) -> list[int]:
        """Indexes of the usable text nodes holding a label keyword where a label opens the text (the cheap
        tests first: where a text sits costs a walk up the tree)."""
        texts = self.texts
        return [i for i in self._hits if len(texts[i]) <= _MAX_TEXT and _first_label(texts[i]) and self.usable(i)]

    def usable(self, index: int) -> bool:
        return len(self.texts[index]) <= _MAX_TEXT and not self.context(index)[0]

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
            if tag in _SKIP_SUBTREE or (tag == "footer" and not sheltered):
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


# class and id words of blocks holding other people's dated posts: comments, customer reviews
_OTHERS_BLOCKS = frozenset(langdata.words("dates", "others_blocks", LABEL_LANGS))
_HINT_SPLIT = str.maketrans("-_", "  ")


def _others_block(el: etree._Element) -> bool:
    hint = f"{el.get('class') or ''} {el.get('id') or ''}"
    return len(hint) > 1 and not _OTHERS_BLOCKS.isdisjoint(hint.lower().translate(_HINT_SPLIT).split())


def _in_furniture(el: etree._Element, main: etree._Element | None) -> bool:
    """True inside navigation, sidebars, hidden blocks, share bars, related lists, comments and reviews…"""
    node = el
    while node is not None and node.tag not in ("body", "html"):
        if node is not main and node.tag not in ("header", "footer", "time") and (is_furniture(node)
                                                                                  or _others_block(node)):
            return True
        node = node.getparent()
    return False


def _first_label(text: str) -> re.Match | None:
    """The label opening a text node (the label regex is costly: it is only tried at a few places)."""
    match = _LABEL.match(text, _LEAD_SKIP.match(text).end())
    if match:
        return match
    for sep in _SEPARATOR.finditer(text, 0, _LEAD_MAX):
        match = _LABEL.match(text, sep.end())
        if match:
            return match
    return None


def _next_label(text: str, pos: int) -> re.Match | None:
    """Another label shortly after a labelled date in the same text node."""
    window = text[:pos + _NEXT_LABEL_WINDOW]
    match = _LABEL.search(window, pos)
    return _LABEL.match(text, match.start()) if match else None


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


def _snippet(*parts: str) -> str:
    text = clean_text(" ".join(parts))
    return text if len(text) <= 160 else text[:157] + "…"


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
        match = _first_label(text)
        if match is None:
            continue
        lead = text[:match.start()]
        if _SITE_WIDE.search(lead) or _in_furniture(col.element(i), main):
            continue
        first = True
        while match is not None:
            kind, lang = _LABEL_KINDS[int(match.lastgroup[1:])]
            first_day = True if lang in _DAY_FIRST_LANGS else day_first
            limit = latest if kind != "next_review" else None
            parsed, stop = date_at(text, match.end(), first_day, limit)
            if parsed:
                record(kind, match.group(0), parsed, i, _snippet(text))
                match = _next_label(text, stop)
                first = False
                continue
            if text[stop:].strip(" \t\r\n:.-–—|"):
                break  # the label is followed by something else ("Updated by …")
            # label alone in its node: the date is in the next text node(s), or just before
            for j in col.following(i, 2):
                parsed, _ = date_at(texts[j], 0, first_day, limit)
                if parsed:
                    record(kind, match.group(0), parsed, j, _snippet(text, texts[j]))
                    used.add(j)
                    break
                if _first_label(texts[j]):
                    break
            else:
                previous = col.preceding(i) if first and not lead.strip(" \t\r\n|•·–—-") else None
                if previous is not None:
                    before = texts[previous].strip(" \t\r\n|•·–—-")
                    parsed, stop = date_at(before, 0, first_day, limit)
                    if parsed and stop == len(before):
                        record(kind, match.group(0), parsed, previous, _snippet(texts[previous], text))
            break
    return visible, labelled_times


def _dateline(page: Page, day_first: bool, today: date) -> tuple[dict, Parsed] | None:
    """A news dateline opening the article: "Feb. 23, 2015 -- Life-threatening peanut allergies…"."""
    for block in page.text_blocks[:3]:
        text = block.text
        pos = _DATELINE.match(text).end()
        parsed, stop = date_at(text, pos, day_first, today + FUTURE_SLACK)
        if parsed and _DATELINE_DASH.match(text, stop):
            return ({"label": "dateline", "kind": "published", "date": parsed[0],
                     "text": _snippet(text[:stop + 4])}, parsed)
    return None


# ------------------------------------------------------------------ unlabelled dates by the headline

_HEADLINE_AFTER = 12  # text nodes read after the headline: the byline and date lines sit there
_HEADLINE_BEFORE = 3  # and just before it (a kicker line "Health · March 3, 2020")
_BESIDE_WORDS = 6  # words beside a date in its line ("Medical Daily 9/21/2016 Lizette Borreli")
_PROSE = 100  # a text this long is prose: past a standfirst and a first paragraph, the byline is behind us
_NOT_BESIDE_HEADLINE = _SKIP_SUBTREE | {"a", "figure", "figcaption", "picture", "table", "ul", "ol", "blockquote",
                                        "form"}
_SECTION_HEADINGS = frozenset({"h2", "h3", "h4"})
_STOP_AT = frozenset({"article", "main", "body", "html"})


def _headline(page: Page) -> etree._Element | None:
    for scope in (page.main, page.root.find("body")):
        for h1 in scope.iter("h1") if scope is not None else ():
            if not _in_furniture(h1, page.main):
                return h1
    return None


def _own_texts(el: etree._Element, budget: list[int]):
    """The texts of an element in document order, without links, captions, lists and hidden blocks."""
    if el.tag in _SECTION_HEADINGS:  # a new section: the headline's lines are behind us
        budget[0] = 0
        return
    if el.tag in _NOT_BESIDE_HEADLINE or not isinstance(el.tag, str) or is_furniture(el) or _others_block(el):
        return
    if el.text and el.text.strip():
        budget[0] -= 1
        yield el.text
    for child in el:
        if budget[0] <= 0:
            return
        yield from _own_texts(child, budget)
        if child.tail and child.tail.strip():
            budget[0] -= 1
            yield child.tail


def _beside_headline(h1: etree._Element) -> list[str]:
    """The short texts right before and after the headline (inside its article: never past it)."""
    before: list[str] = []
    for sibling in h1.itersiblings(preceding=True):
        texts = list(_own_texts(sibling, [_HEADLINE_BEFORE]))
        before[:0] = texts
        if len(before) >= _HEADLINE_BEFORE:
            break
    after: list[str] = []
    budget = [_HEADLINE_AFTER]
    node = h1
    while node is not None and budget[0] > 0:
        if node.tail and node.tail.strip():
            after.append(node.tail)
        for sibling in node.itersiblings():
            if budget[0] <= 0:
                break
            after.extend(_own_texts(sibling, budget))
            if sibling.tail and sibling.tail.strip():
                after.append(sibling.tail)
        node = node.getparent()
        if node is None or node.tag in _STOP_AT:
            break
    return before[-_HEADLINE_BEFORE:] + after


def _headline_date(page: Page, day_first: bool, today: date, labelled: set[str]) -> tuple[dict, Parsed] | None:
    """A date written without a label on the headline's byline or date line, taken as the publication date.

    A line counts when the date stands nearly alone (a few words beside it: a name, a source); a line with a
    label belongs to the labelled search, and a date already read there as an update or review is not taken.
    """
    h1 = _headline(page)
    if h1 is None:
        return None
    latest = today + FUTURE_SLACK
    previous = ""
    prose = 0
    for raw in _beside_headline(h1):
        text = clean_text(raw)
        if len(text) >= _PROSE:
            prose += 1
            if prose == 2:
                break
        if not text or len(text) > _MAX_TEXT:
            previous = text
            continue
        label, governed = find_label(text), len(previous) < _LEAD_MAX and find_label(previous)
        previous = text
        if governed and label is None:
            continue  # a label alone on the line before: the labelled search read this date
        line = text
        if label is not None:
            # "March 3, 2020 | Updated: May 5, 2021": the date before a label that has its own is unlabelled
            if not label.start() or date_at(text, label.end(), day_first, latest)[0] is None:
                continue
            line = text[:label.start()]
        found = find_written_date(line, day_first, latest)
        if found is None:
            continue
        parsed, start, end = found
        beside = f"{line[:start]} {line[end:]}".split()
        if parsed[1] == "month" or len(beside) > _BESIDE_WORDS or parsed[0][:10] in labelled:
            continue
        # no label to show: the date as the page writes it stands for one (reports quote it to the reader)
        return {"label": line[start:end], "kind": "published", "date": parsed[0], "text": _snippet(text)}, parsed
    return None


_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")


def _url_date(page: Page, today: date) -> Parsed | None:
    """A day in the page's own URL path: /2021/03/05/slug."""
    path = urlsplit(page.url).path if page.url else ""
    match = _URL_DATE.search(path)
    if not match:
        return None
    iso = build_date(int(match["y"]), int(match["m"]), int(match["d"]), latest=today + FUTURE_SLACK)
    return (iso, "day") if iso else None


# ------------------------------------------------------------------ htmldate, the last resort

def _htmldate(page: Page, today: date, extensive: bool) -> Parsed | None:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover
        return None
    try:
        # htmldate deep-copies an lxml tree before pruning it (checked for 1.11): ours stays intact
        found = find_date(page.root, extensive_search=extensive, original_date=True, url=page.url,
                          max_date=today.isoformat())
    except Exception:  # noqa: BLE001 - a fallback must never break the audit
        return None
    return parse_date(found, today=today) if found else None


def _texts_of_others(page: Page) -> list[str]:
    """The text of the page's comment and customer-review blocks (outermost only)."""
    body = page.root.find("body")
    out: list[str] = []
    stack = [body] if body is not None else []
    while stack:
        el = stack.pop()
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if _others_block(child):
                out.append(" ".join(" ".join(child.itertext()).split()))
            else:
                stack.append(child)
    return out


def _day_pattern(iso: str, day_first: bool | None) -> re.Pattern:
    """The ways a page writes this day in full; numeric dates in the locale's order (None: either order)."""
    y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    months = alternation(name for name, number in MONTHS.items() if number == m)
    day = rf"0?{d}(?!\d)"
    # dotted dates are day first everywhere; slashed and dashed ones follow the page's locale
    day_month = rf"{day}[./-]0?{m}[./-]{y}"
    month_day = rf"{day}\.0?{m}\.{y}|0?{m}[/-]{day}[/-]{y}"
    numeric = f"{day_month}|{month_day}" if day_first is None else day_month if day_first else month_day
    return re.compile(
        rf"(?<![\d.]){day}{ORDINAL}\s*{CONNECTOR}(?:{months})(?![^\W\d_])\.?,?\s+{CONNECTOR}{y}(?!\d)"
        rf"|(?<![^\W\d_])(?:{months})\.?\s*{day}{ORDINAL}(?![\d:]),?\s+{y}(?!\d)"
        rf"|(?<!\d){y}-0?{m}-{day}|(?<![\d.])(?:{numeric})(?!\d)", re.I)


_NOT_A_DATE_LINE = frozenset({"li", "cite", "blockquote", "table", "figcaption", "q"})
_A_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _date_lines(page: Page, day_first: bool, today: date) -> set[str]:
    """The days the page shows as date lines of their own: in its title, or in a short text where a date stands
    nearly alone, outside lists (reference lists date their sources), quotations, tables, captions, page
    furniture and comments, and not after an update or review label. htmldate's extensive search picks any
    date in the text, a cited study's included: its answer is taken only when it is one of these."""
    latest = today + FUTURE_SLACK
    days: set[str] = set()
    title = page.title or ""
    found = find_written_date(title, day_first, latest) if _A_YEAR.search(title) else None
    if found and found[0][1] != "month":
        days.add(found[0][0][:10])
    for text in page.short_texts:
        if len(text) > _MAX_TEXT or not _A_YEAR.search(text):
            continue
        found = find_written_date(text, day_first, latest)
        if found is None or found[0][1] == "month" or found[0][0][:10] in days:
            continue
        (iso, _), start, end = found
        if len(f"{text[:start]} {text[end:]}".split()) > _BESIDE_WORDS:
            continue
        label = find_label(text)
        if label is not None and _LABEL_KINDS[int(label.lastgroup[1:])][0] != "published":
            continue
        el = text.getparent()
        if text.is_tail and el.getparent() is not None:
            el = el.getparent()
        if el.tag in _NOT_A_DATE_LINE or any(a.tag in _NOT_A_DATE_LINE for a in el.iterancestors()):
            continue
        if not _in_furniture(el, page.main):
            days.add(iso[:10])
    return days


def _written_as(page: Page, iso: str, day_first: bool) -> str | None:
    """How the page's title and text show this day in full (day, month and year): "published" when plainly
    or after a publication label, the label's kind when after another ("Last updated on Sep 21, 2017" in a site
    footer), None when nowhere: htmldate's extensive search also guesses from a bare year, a copyright line or
    a link's URL, which on a page without a date gives it one."""
    pattern = _day_pattern(iso, day_first)
    others = " ".join(_texts_of_others(page))
    if others:  # written only in comments or customer reviews, in either numeric order
        either = _day_pattern(iso, None)
        in_others = len(either.findall(others))
        if in_others and len(either.findall(page.body_text)) <= in_others:
            return "others"
    kind = None
    for text in (page.title or "", page.body_text):
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - _LEAD_MAX * 2):match.start()]
            labels = list(_LABEL.finditer(before)) if LABEL_PHRASES.possible(before) else []
            label = labels[-1] if labels else None
            if label is None or LABEL_FILLER.match(before, label.end()).end() < len(before):
                return "published"
            kind = _LABEL_KINDS[int(label.lastgroup[1:])][0]
            if kind == "published":
                return kind
    return kind


# ------------------------------------------------------------------ settling

def _other_reading(text: str, iso: str) -> str | None:
    """The other reading of an ambiguous numeric date in `text` (3/4/2021) that was read as `iso`."""
    for match in NUMERIC.finditer(text):
        a, b = int(match["a"]), int(match["b"])
        if match["sep"] == "." or a == b or a > 12 or b > 12:
            continue
        y = int(match["y"])
        if len(match["y"]) == 2:
            y += 2000 if y + 2000 <= current_day().year else 1900
        for d, m in ((a, b), (b, a)):
            if build_date(y, m, d, latest=None) == iso[:10]:
                return build_date(y, d, m, latest=None)
    return None


def _confirmed(entry: dict, parsed: Parsed, machine: set[str]) -> tuple[dict, Parsed]:
    """A shown date, read the other way round when only that reading is a day the page's markup, meta tags,
    <time> elements or URL give."""
    if parsed[1] != "day" or parsed[0] in machine:
        return entry, parsed
    other = _other_reading(entry["text"], parsed[0])
    if other is None or other not in machine:
        return entry, parsed
    return {**entry, "date": other}, (other, "day")


_FIELDS = (("date_published", "datePublished"), ("date_modified", "dateModified"),
           ("last_reviewed", "lastReviewed"))
_KIND_FIELD = {"published": "date_published", "updated": "date_modified", "reviewed": "last_reviewed"}
# sources that state a date for what it is; the original publication date is the earliest of theirs
_STATED = ("markup", "meta", "time", "visible")


def _moment(parsed: Parsed) -> datetime | None:
    return datetime.fromisoformat(parsed[0]) if parsed[1] == "time" else None


def _day(parsed: Parsed) -> date:
    return date.fromisoformat(parsed[0][:10])


def _earlier(a: Parsed, b: Parsed) -> bool:
    """a before b: by the instant when both give one, else by the day as written."""
    ma, mb = _moment(a), _moment(b)
    if ma is not None and mb is not None:
        return ma < mb
    return _day(a) < _day(b)


def _same(a: Parsed, b: Parsed) -> bool:
    ma, mb = _moment(a), _moment(b)
    return ma == mb if ma is not None and mb is not None else _day(a) == _day(b)


def _fidelity(parsed: Parsed) -> int:
    """How much a form says: a time in the page's own offset, a time in UTC, a day, a month."""
    if parsed[1] == "time":
        return 3 if _moment(parsed).utcoffset() else 2
    return 1 if parsed[1] == "day" else 0


def _original(candidates: list[tuple[Parsed, str]]) -> tuple[Parsed, str]:
    """The original publication date: the earliest stated one (a later datePublished or <time> is a
    republication), in its most telling form."""
    stated = [c for c in candidates if c[1] in _STATED] or candidates[:1]
    first = stated[0]
    for candidate in stated[1:]:
        if _earlier(candidate[0], first[0]):
            first = candidate
    same = [c for c in stated if _same(c[0], first[0])]
    return max(same, key=lambda c: _fidelity(c[0]))  # max keeps the first of equals: trust order


def _local(parsed: Parsed, offsets: list[timedelta], shown: list[Parsed]) -> Parsed:
    """A UTC timestamp given in the page's own offset: the one its other timestamps carry, else the day the
    page shows for it when that is the UTC day plus or minus one (never the UTC day over the page's)."""
    moment = _moment(parsed)
    if moment is None or moment.utcoffset():
        return parsed
    local = next((offset for offset in offsets if offset), None)
    if local is not None:
        return moment.astimezone(timezone(local)).isoformat(), "time"
    for day in (_day(p) for p in shown):
        gap = (day - moment.date()).days
        if (gap == 1 and moment.hour >= 10) or (gap == -1 and moment.hour < 12):  # offsets run -12 to +14
            return day.isoformat(), "day"
    return parsed


def extract_dates(page: Page, page_node: dict | None, *, today: date | None = None,
                  use_htmldate: bool = True) -> dict:
    """Publication, modification and review dates of a page, with where each was found.

    Returns {"date_published", "date_modified", "last_reviewed": ISO string or None,
    "visible": [{"label", "kind", "date", "text"}, ...] (labelled dates written in the page, in
    document order; kind is published/updated/reviewed/next_review), "sources": {field: "markup"|
    "meta"|"time"|"visible"|"headline"|"url"|"htmldate"}, "precision": {field: "time"|"day"|"month"}}.
    The publication date is the earliest one the page states (markup, meta, <time>, a label); without one,
    a date on the headline's byline line, the URL's date, then htmldate. `last_reviewed` only ever comes from
    markup `lastReviewed` or a review label; nothing is copied from one field to another.
    """
    today = today or current_day()
    day_first = _day_first(page)
    candidates: dict[str, list[tuple[Parsed, str]]] = {field: [] for field, _ in _FIELDS}

    def offer(field: str, parsed: Parsed | None, source: str) -> None:
        if parsed:
            candidates[field].append((parsed, source))

    def parse(value) -> Parsed | None:
        return parse_date(value, day_first=day_first, today=today)

    # 1. schema.org markup of the page's main node
    if page_node:
        for field, prop in _FIELDS:
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
        offer(_KIND_FIELD[kind], parsed, "time")
    hinted: set[str] = set()
    for el, in_link in col.times():
        # in a link (lists of other articles, permalinks), trust only the element's own attributes
        hint = _time_hint(el, 1 if in_link else 3)
        if hint is None or hint in hinted or not (el.get("datetime") or el.get("content")):
            continue
        if _in_furniture(el, page.main):
            continue
        parsed = _time_value(el, None, day_first, today)
        if parsed:
            hinted.add(hint)  # the first of each kind: later ones date comments and teasers
            offer(_KIND_FIELD[hint], parsed, "time")
    dateline = _dateline(page, day_first, today)
    if dateline:
        visible.append(dateline)
    # an ambiguous numeric date (3/4/2021) takes the reading the page's machine-readable dates confirm
    url_date = _url_date(page, today)
    machine = {parsed[0][:10] for found in candidates.values() for parsed, _ in found} | (
        {url_date[0]} if url_date else set())
    visible = [_confirmed(entry, parsed, machine) for entry, parsed in visible]
    firsts: set[str] = set()
    for entry, parsed in visible:
        field = _KIND_FIELD.get(entry["kind"])
        if field and (field != "date_published" or field not in firsts):
            firsts.add(field)
            offer(field, parsed, "visible")

    # 5. without a stated publication date: the headline's date line, the URL, then htmldate
    known = {parsed[0][:10] for found in candidates.values() for parsed, _ in found}
    if not candidates["date_published"]:
        beside = _headline_date(page, day_first, today, known)
        if beside:
            beside = _confirmed(*beside, machine)
            visible.append(beside)
            offer("date_published", beside[1], "headline")
    if not candidates["date_published"]:
        offer("date_published", url_date, "url")
    if use_htmldate and not candidates["date_published"]:
        # htmldate cannot tell an update or review date from a publication date: a day we already know as one
        # is dropped; its extensive search is trusted only for a day the page writes out in full
        guess = _htmldate(page, today, extensive=False)
        written = guess and _written_as(page, guess[0], day_first)
        if guess is None:
            lines = _date_lines(page, day_first, today)
            guess = _htmldate(page, today, extensive=True) if lines else None
            written = "published" if guess and guess[0][:10] in lines else None
            guess = guess if written else None
        if guess and written in (None, "published") and guess[0][:10] not in known:
            offer("date_published", guess, "htmldate")

    found: dict[str, tuple[Parsed, str]] = {}
    for field, options in candidates.items():
        if options:
            found[field] = _original(options) if field == "date_published" else options[0]
    offsets = [m.utcoffset() for options in candidates.values() for parsed, _ in options
               if (m := _moment(parsed)) is not None]
    for field, (parsed, source) in found.items():
        kind = next(k for k, f in _KIND_FIELD.items() if f == field)
        shown = [p for entry, p in visible if entry["kind"] == kind]
        found[field] = _local(parsed, offsets, shown), source

    result: dict = {field: None for field, _ in _FIELDS}
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
