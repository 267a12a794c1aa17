"""Publication, update and review dates of a page.

`extract_dates(page, page_node)` gathers the dates a page declares, in order
of trust: schema.org markup of the page's main node, meta tags, labelled
`<time datetime>` elements, then dates written in the page next to a label
("Updated on March 3, 2023", "Mis à jour le 12 mars 2024", "Stand: 27.1.2022").
htmldate is the last resort for the publication date only.

Dates are returned as ISO 8601 strings: `YYYY-MM-DD` for a day, and
`YYYY-MM-DDTHH:MM:SS+HH:MM` when the source gives a time and a zone
(fractions of a second are dropped), so `date.fromisoformat(iso[:10])`
always works. A date known only to the month ("Last reviewed April 2017")
is given as the 1st of that month, and `precision` says "month"; a bare
year is not a date.

Cost: one walk over the body's text nodes; label regexes only run on the few
short strings that contain a label keyword (found with `str.find` on one
joined, lowercased string).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from lxml import etree

from .page import Page, clean_text, is_furniture

MIN_YEAR = 1995
_FUTURE_SLACK = timedelta(days=1)  # time zones: "today" somewhere may be tomorrow here

# ------------------------------------------------------------------ months

_MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # French
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
    # German
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mär": 3, "juni": 6, "juli": 7,
    "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
}
_MON = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_MON_RE = rf"(?P<mon>(?:{_MON})(?![^\W\d_]))\.?"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?![\d])"
_WEEKDAY = (r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
            r"\.?,?\s+|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s+"
            r"|(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag),?\s+|(?:mo|di|mi|do|fr|sa|so)\.?,\s+)")

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)"
    r"(?:(?:T|\s+)(?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-][01]\d(?::?[0-5]\d)?)?)?(?![\d])", re.I)
_MDY = re.compile(rf"{_MON_RE}\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:]),?\s+{_YEAR}", re.I)
_DMY = re.compile(rf"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|ᵉʳ|\.)?\s*(?:de\s+|of\s+)?{_MON_RE},?\s+{_YEAR}", re.I)
_YMD_TEXT = re.compile(rf"{_YEAR}\s+{_MON_RE}\s+(?P<d>[0-3]?\d)(?![\d])", re.I)
_NUMERIC = re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep)"
                      r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d])")
_YMD_SLASH = re.compile(r"(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)(?:/(?P<d>[0-3]?\d))?(?![\d/])")
_MY = re.compile(rf"{_MON_RE},?\s+{_YEAR}", re.I)
_COMPACT = re.compile(r"\s*(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:\d{6})?\s*$")
_BARE_YEAR = re.compile(r"\s*\d{4}\s*$")
_WEEKDAY_PREFIX = re.compile(_WEEKDAY, re.I)
# order matters where two patterns can start at the same place
_TEXT_PATTERNS = (_ISO, _MDY, _DMY, _YMD_TEXT, _NUMERIC, _YMD_SLASH, _MY)


def _today() -> date:
    return date.today()


def _build(y: int, m: int, d: int | None, *, latest: date | None) -> str | None:
    """A checked ISO date string (the 1st of the month when the day is unknown), or None."""
    if y < MIN_YEAR or not 1 <= m <= 12:
        return None
    try:
        day = date(y, m, d or 1)
    except ValueError:
        return None
    if latest is not None:
        if d is None:
            if (y, m) > (latest.year, latest.month):
                return None
        elif day > latest:
            return None
    return day.isoformat()


Parsed = tuple[str, str]  # (iso, precision: "time" | "day" | "month")


def _from_match(match: re.Match, day_first: bool, latest: date | None) -> Parsed | None:
    pattern = match.re
    groups = match.groupdict()
    y = int(groups["y"])
    if pattern is _NUMERIC:
        a, b = int(groups["a"]), int(groups["b"])
        if len(groups["y"]) == 2:
            y += 2000 if y + 2000 <= (latest or _today()).year else 1900
        if a > 12 >= b or groups["sep"] == ".":
            d, m = a, b
        elif b > 12 >= a:
            m, d = a, b
        else:
            d, m = (a, b) if day_first else (b, a)
        iso = _build(y, m, d, latest=latest)
        return (iso, "day") if iso else None
    if "mon" in groups:
        m = _MONTHS.get(groups["mon"].lower().rstrip("."))
        if m is None:
            return None
    else:
        m = int(groups["m"])
    d = int(groups["d"]) if groups.get("d") else None
    iso = _build(y, m, d, latest=latest)
    if iso is None:
        return None
    if pattern is not _ISO or not groups.get("tz") or d is None:
        return iso, "day" if d else "month"
    tz = groups["tz"].upper()
    if tz == "Z":
        offset = timedelta(0)
    else:
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    try:
        stamp = datetime(y, m, d, int(groups["H"]), int(groups["M"]), int(groups["S"] or 0),
                         tzinfo=timezone(offset))
    except ValueError:
        return iso, "day"
    return stamp.isoformat(), "time"


def _search_date(text: str, day_first: bool, latest: date | None) -> Parsed | None:
    """The first date written anywhere in `text`."""
    best: re.Match | None = None
    for pattern in _TEXT_PATTERNS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best.start()):
            best = match
    if best is None:
        return None
    parsed = _from_match(best, day_first, latest)
    if parsed:
        return parsed
    # an impossible or future first candidate: try the rest of the string
    rest = text[best.end():]
    return _search_date(rest, day_first, latest) if rest.strip() else None


_FILLER = re.compile(r"[\s:：\-–—,|.()]*(?:(?:on|le|du|am|vom|at|as\s+of|the)\b[\s:]*)?", re.I)


def _date_at(text: str, pos: int, day_first: bool, latest: date | None) -> tuple[Parsed | None, int]:
    """A date starting at `pos` (after label filler and an optional weekday): ((iso, precision), end)."""
    pos = _FILLER.match(text, pos).end()
    weekday = _WEEKDAY_PREFIX.match(text, pos)
    starts = (pos, weekday.end()) if weekday else (pos,)
    for start in starts:
        for pattern in _TEXT_PATTERNS:
            match = pattern.match(text, start)
            if match:
                parsed = _from_match(match, day_first, latest)
                return (parsed, match.end()) if parsed else (None, pos)
    return None, pos


def to_iso_date(value, *, day_first: bool = False, today: date | None = None,
                allow_future: bool = False) -> str | None:
    """Normalise a date from markup, a meta tag, a datetime attribute or page text to ISO 8601.

    Accepts ISO 8601 strings (with or without time, zone, fractions), "March 3, 2023",
    "Mar. 3, 2023", "3 March 2023", "12 Jan 2026", "3 mars 2023", "1er mars 2023",
    "21. April 2020", "03/12/2023" (`day_first` decides when both numbers are ≤ 12),
    "12.03.2023", "2017/01/30", "2023 Jan 7", "20170113", "April 2017" (→ the 1st),
    `date`/`datetime` objects, and lists (first usable item). Returns None for a bare
    year, impossible dates, dates before 1995 and dates after `today` (unless
    `allow_future`). A time is kept only when the source also gives its zone.
    """
    parsed = parse_date(value, day_first=day_first, today=today, allow_future=allow_future)
    return parsed[0] if parsed else None


def parse_date(value, *, day_first: bool = False, today: date | None = None,
               allow_future: bool = False) -> Parsed | None:
    """`to_iso_date` with the precision of the source: (iso, "time" | "day" | "month")."""
    today = today or _today()
    latest = None if allow_future else today + _FUTURE_SLACK
    if isinstance(value, (list, tuple)):
        for item in value:
            parsed = parse_date(item, day_first=day_first, today=today, allow_future=allow_future)
            if parsed:
                return parsed
        return None
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, datetime):
        iso = _build(value.year, value.month, value.day, latest=latest)
        if iso is None or value.tzinfo is None:
            return (iso, "day") if iso else None
        return value.replace(microsecond=0).isoformat(), "time"
    if isinstance(value, date):
        iso = _build(value.year, value.month, value.day, latest=latest)
        return (iso, "day") if iso else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200 or _BARE_YEAR.match(text):
        return None
    match = _COMPACT.match(text)
    if match:
        iso = _build(int(match["y"]), int(match["m"]), int(match["d"]), latest=latest)
        return (iso, "day") if iso else None
    return _search_date(text, day_first, latest)


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

_NAME = r"[^\n|•·]{2,80}?"  # a reviewer's name between "reviewed by" and "on"
_LABEL_GROUPS = (
    # next review first: "Next review due" must not read as a review date
    ("next_review", "en", r"next\s+review(?:\s+(?:due|date))?|review\s+due(?:\s+date)?"),
    ("next_review", "fr", r"prochaine\s+(?:révision|revue|relecture|mise\s+à\s+jour)"),
    ("next_review", "de", r"nächste\s+(?:überprüfung|aktualisierung)"),
    ("reviewed", "en",
     r"(?:(?:medically|clinically|professionally|expert|peer|fact[-\s]checked\s+and)\s+)?reviewed\s+by\s+"
     + _NAME + r"\s+on(?=\s)"
     r"|(?:page\s+|article\s+|content\s+|date\s+)?(?:last\s+)?(?:(?:medically|clinically|professionally)\s+)?"
     r"reviewed(?:\s+(?:on|date))?(?!\s+by)"
     r"|(?:last\s+|medical\s+)?review\s+date|last\s+review"),
    ("reviewed", "fr",
     r"(?:relu|validé|vérifié|révisé)e?(?:\s+et\s+(?:validé|vérifié)e?)?(?:\s+par\s+" + _NAME + r")?\s+le"
     r"|date\s+de\s+(?:la\s+)?(?:dernière\s+)?(?:relecture|révision|validation)"
     r"|dernière\s+(?:relecture|révision|validation)(?:\s+médicale)?"),
    ("reviewed", "de", r"(?:medizinisch\s+|fachlich\s+)?(?:überprüft|geprüft)\s+am|letzte\s+überprüfung"),
    ("updated", "en",
     r"(?:page\s+|article\s+|content\s+|date\s+)?(?:last\s+)?(?:updated|modified|revised)(?:\s+on)?(?!\s+by)"
     r"|last\s+update(?:\s+posted)?|content\s+current\s+as\s+of"),
    ("updated", "fr",
     r"(?:dernière\s+)?mise?\s+à\s+jour(?:\s+le)?|modifiée?\s+le|actualisée?\s+le"
     r"|date\s+de\s+(?:(?:la\s+)?dernière\s+)?(?:mise\s+à\s+jour|modification)"),
    ("updated", "de", r"(?:zuletzt\s+)?(?:aktualisiert|geändert)(?:\s+am)?|letzte\s+(?:aktualisierung|änderung)"
                      r"|stand(?=\s*:)"),
    ("published", "en",
     r"(?:first\s+|originally\s+|e-?|issue\s+)?published(?:\s+(?:on|online))?(?!\s+by)"
     r"|(?:first\s+)?posted(?:\s+on)?(?!\s+(?:by|in))|publication\s+date|date\s+(?:of\s+)?publi(?:shed|cation)"),
    ("published", "fr",
     r"publiée?(?:\s+le)?|date\s+de\s+(?:première\s+)?publication|mise?\s+en\s+ligne(?:\s+le)?|parue?\s+le"
     r"|première\s+publication|créée?\s+le"),
    ("published", "de", r"veröffentlicht(?:\s+am)?|erschienen(?:\s+am)?|erstellt\s+am"),
)
_LABEL_KINDS = [(kind, lang) for kind, lang, _ in _LABEL_GROUPS]
_LABEL = re.compile(
    "|".join(rf"(?P<g{i}>(?<![^\W_]){pattern}(?![^\W_]))" for i, (_, _, pattern) in enumerate(_LABEL_GROUPS)),
    re.I)
# cheap prefilter: a short text node is examined only if it holds one of these
_KEYWORDS = ("publi", "posted", "updat", "review", "modifi", "revis", "révis", "current as", "à jour",
             "relu", "valid", "vérifi", "en ligne", "paru", "créé", "prochaine", "aktualis", "veröffentl",
             "stand", "geändert", "änderung", "prüf", "erschien", "erstellt", "nächste")
# what may precede the first label of a text node: nothing but a few signs, or a short lead ending
# in a separator ("ANSM - Mis à jour le"); "(Stand: 27.1.2022)" after a reference dates the source
_LEAD_SKIP = re.compile(r"\s*(?:(?![(\[])[\W\d_]){0,4}\s*")
_SEPARATOR = re.compile(r"[|•·–—\-/]\s*")
_LEAD_MAX = 32
_NEXT_LABEL_WINDOW = 40  # "Publié le 30 août 2023 à 14h52, modifié le …"
_SITE_WIDE = re.compile(r"\b(?:site|website|web\s+site)\s*$", re.I)
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
_FRENCH_OR_GERMAN = ("fr", "de")
_DAY_FIRST_TLDS = (".uk", ".ie", ".au", ".nz", ".in", ".za", ".fr", ".de", ".be", ".ch", ".at")


def _day_first(page: Page) -> bool:
    lang = (page.html_lang or page.meta_first("content-language", "og:locale", "dc.language", "language")
            or "").lower().replace("_", "-")
    if lang:
        if lang.startswith("en"):
            return lang[3:5] in ("gb", "uk", "ie", "au", "nz", "in", "za")
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
        """Indexes of the usable text nodes holding a label keyword."""
        return [i for i in self._hits if self.usable(i)]

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


def _in_furniture(el: etree._Element, main: etree._Element | None) -> bool:
    """True inside navigation, sidebars, hidden blocks, share bars, related lists…"""
    node = el
    while node is not None and node.tag not in ("body", "html"):
        if node is not main and node.tag not in ("header", "footer", "time") and is_furniture(node):
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
    return parse_date(el.get("datetime") or "", day_first=day_first, today=today) or fallback


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
    latest = today + _FUTURE_SLACK
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
            first_day = True if lang in _FRENCH_OR_GERMAN else day_first
            limit = latest if kind != "next_review" else None
            parsed, stop = _date_at(text, match.end(), first_day, limit)
            if parsed:
                record(kind, match.group(0), parsed, i, _snippet(text))
                match = _next_label(text, stop)
                first = False
                continue
            if text[stop:].strip(" \t\r\n:.-–—|"):
                break  # the label is followed by something else ("Updated by …")
            # label alone in its node: the date is in the next text node(s), or just before
            for j in col.following(i, 2):
                parsed, _ = _date_at(texts[j], 0, first_day, limit)
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
                    parsed, stop = _date_at(before, 0, first_day, limit)
                    if parsed and stop == len(before):
                        record(kind, match.group(0), parsed, previous, _snippet(texts[previous], text))
            break
    return visible, labelled_times


def _dateline(page: Page, day_first: bool, today: date) -> tuple[dict, Parsed] | None:
    """A news dateline opening the article: "Feb. 23, 2015 -- Life-threatening peanut allergies…"."""
    for block in page.text_blocks[:3]:
        text = block.text
        pos = _DATELINE.match(text).end()
        parsed, stop = _date_at(text, pos, day_first, today + _FUTURE_SLACK)
        if parsed and _DATELINE_DASH.match(text, stop):
            return ({"label": "dateline", "kind": "published", "date": parsed[0],
                     "text": _snippet(text[:stop + 4])}, parsed)
    return None


def _htmldate(page: Page, today: date) -> Parsed | None:
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover
        return None
    try:
        # htmldate deep-copies an lxml tree before pruning it (checked for 1.11): ours stays intact
        found = find_date(page.root, extensive_search=False, original_date=True, url=page.url,
                          max_date=today.isoformat())
    except Exception:  # noqa: BLE001 - a fallback must never break the audit
        return None
    return parse_date(found, today=today) if found else None


_FIELDS = (("date_published", "datePublished"), ("date_modified", "dateModified"),
           ("last_reviewed", "lastReviewed"))
_KIND_FIELD = {"published": "date_published", "updated": "date_modified", "reviewed": "last_reviewed"}


def extract_dates(page: Page, page_node: dict | None, *, today: date | None = None,
                  use_htmldate: bool = True) -> dict:
    """Publication, modification and review dates of a page, with where each was found.

    Returns {"date_published", "date_modified", "last_reviewed": ISO string or None,
    "visible": [{"label", "kind", "date", "text"}, ...] (labelled dates written in the page, in
    document order; kind is published/updated/reviewed/next_review), "sources": {field: "markup"|
    "meta"|"time"|"visible"|"htmldate"}, "precision": {field: "time"|"day"|"month"}}.
    `last_reviewed` only ever comes from markup `lastReviewed` or a review label; nothing is
    copied from one field to another.
    """
    today = today or _today()
    day_first = _day_first(page)
    found: dict[str, tuple[Parsed, str]] = {}

    def offer(field: str, parsed: Parsed | None, source: str) -> None:
        if parsed and field not in found:
            found[field] = (parsed, source)

    # 1. schema.org markup of the page's main node
    if page_node:
        for field, prop in _FIELDS:
            offer(field, parse_date(page_node.get(prop), day_first=day_first, today=today), "markup")

    # 2. meta tags
    meta = page.meta
    for field, keys in (("date_published", _META_PUBLISHED), ("date_modified", _META_MODIFIED)):
        for key in keys:
            if field in found:
                break
            values = meta.get(key)
            if values:
                offer(field, parse_date(values, day_first=day_first, today=today), "meta")

    # 3 and 4. <time> elements and visible labelled dates, from one walk over the body
    col = _Collector(page)
    visible, labelled_times = _visible_dates(col, page.main, day_first, today)
    for kind, parsed in labelled_times:
        offer(_KIND_FIELD[kind], parsed, "time")
    for el, in_link in col.times():
        # in a link (lists of other articles, permalinks), trust only the element's own attributes
        hint = _time_hint(el, 1 if in_link else 3)
        if hint is None or _KIND_FIELD[hint] in found or not el.get("datetime"):
            continue
        if not _in_furniture(el, page.main):
            offer(_KIND_FIELD[hint], _time_value(el, None, day_first, today), "time")
    dateline = _dateline(page, day_first, today)
    if dateline:
        visible.append(dateline)
    for entry, parsed in visible:
        field = _KIND_FIELD.get(entry["kind"])
        if field:
            offer(field, parsed, "visible")

    # 5. htmldate, for the publication date only. Its answer is dropped when it is the day we already
    # know as the update or review date: htmldate cannot tell those apart from a publication date.
    if use_htmldate and "date_published" not in found:
        guess = _htmldate(page, today)
        known = {parsed[0][:10] for parsed, _ in found.values()}
        if guess and guess[0][:10] not in known:
            offer("date_published", guess, "htmldate")

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
