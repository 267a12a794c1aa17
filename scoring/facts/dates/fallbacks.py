"""Dates the page does not label: a date line beside the headline, the URL's date, and htmldate as a last
resort (its extensive search only for a day the page shows as a date line)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from lxml import etree

from scoring.facts.dates.labels import (
    BYLINE_SEPARATOR,
    LABEL,
    LABEL_KINDS,
    LABEL_PHRASES,
    LEAD_MAX,
    MAX_TEXT,
    SKIP_SUBTREE,
    find_label,
    in_furniture,
    label_snippet,
    others_block,
)
from scoring.facts.dates.text import (
    CONNECTOR,
    FUTURE_SLACK,
    LABEL_FILLER,
    MONTHS,
    ORDINAL,
    Parsed,
    alternation,
    build_date,
    date_at,
    find_written_date,
    parse_date,
)
from scoring.page.index import clean_text
from scoring.page.main import is_furniture
from scoring.page.model import Page

_HEADLINE_AFTER = 12  # text nodes read after the headline: the byline and date lines sit there
_HEADLINE_BEFORE = 3  # and just before it (a kicker line "Health · March 3, 2020")
_BESIDE_WORDS = 6  # words beside a date in its line ("Medical Daily 9/21/2016 Lizette Borreli")
_PROSE = 100  # a text this long is prose: past a standfirst and a first paragraph, the byline is behind us
_NOT_BESIDE_HEADLINE = SKIP_SUBTREE | {"a", "figure", "figcaption", "picture", "table", "ul", "ol", "blockquote",
                                        "form"}
_SECTION_HEADINGS = frozenset({"h2", "h3", "h4"})
_STOP_AT = frozenset({"article", "main", "body", "html"})


def _headline(page: Page) -> etree._Element | None:
    for scope in (page.main, page.root.find("body")):
        for h1 in scope.iter("h1") if scope is not None else ():
            if not in_furniture(h1, page.main):
                return h1
    return None


def _own_texts(el: etree._Element, budget: list[int]):
    """The texts of an element in document order, without links, captions, lists and hidden blocks."""
    if el.tag in _SECTION_HEADINGS:  # a new section: the headline's lines are behind us
        budget[0] = 0
        return
    if el.tag in _NOT_BESIDE_HEADLINE or not isinstance(el.tag, str) or is_furniture(el) or others_block(el):
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


def headline_date(page: Page, day_first: bool, today: date, labelled: set[str]) -> tuple[dict, Parsed] | None:
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
        if not text or len(text) > MAX_TEXT:
            previous = text
            continue
        label, governed = find_label(text), len(previous) < LEAD_MAX and find_label(previous)
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
        # in a line of separated parts ("Par Jane Roe | 4 min de lecture | 12.03.2024") only the date's part
        cut_before = [m.end() for m in BYLINE_SEPARATOR.finditer(line, 0, start)]
        cut_after = BYLINE_SEPARATOR.search(line, end)
        part_start, part_end = (cut_before or [0])[-1], cut_after.start() if cut_after else len(line)
        beside = f"{line[part_start:start]} {line[end:part_end]}".split()
        if parsed[1] == "month" or len(beside) > _BESIDE_WORDS or parsed[0][:10] in labelled:
            continue
        # no label to show: the date as the page writes it stands for one (reports quote it to the reader)
        return {"label": line[start:end], "kind": "published", "date": parsed[0], "text": label_snippet(text)}, parsed
    return None


_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")


def date_in_url(page: Page, today: date) -> Parsed | None:
    """A day in the page's own URL path: /2021/03/05/slug."""
    path = urlsplit(page.url).path if page.url else ""
    match = _URL_DATE.search(path)
    if not match:
        return None
    iso = build_date(int(match["y"]), int(match["m"]), int(match["d"]), latest=today + FUTURE_SLACK)
    return (iso, "day") if iso else None


def htmldate_guess(page: Page, today: date, extensive: bool) -> Parsed | None:
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
            if others_block(child):
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


def date_lines(page: Page, day_first: bool, today: date) -> set[str]:
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
        if len(text) > MAX_TEXT or not _A_YEAR.search(text):
            continue
        found = find_written_date(text, day_first, latest)
        if found is None or found[0][1] == "month" or found[0][0][:10] in days:
            continue
        (iso, _), start, end = found
        if len(f"{text[:start]} {text[end:]}".split()) > _BESIDE_WORDS:
            continue
        label = find_label(text)
        if label is not None and LABEL_KINDS[int(label.lastgroup[1:])][0] != "published":
            continue
        el = text.getparent()
        if text.is_tail and el.getparent() is not None:
            el = el.getparent()
        if el.tag in _NOT_A_DATE_LINE or any(a.tag in _NOT_A_DATE_LINE for a in el.iterancestors()):
            continue
        if not in_furniture(el, page.main):
            days.add(iso[:10])
    return days


def written_as(page: Page, iso: str, day_first: bool) -> str | None:
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
            before = text[max(0, match.start() - LEAD_MAX * 2):match.start()]
            labels = list(LABEL.finditer(before)) if LABEL_PHRASES.possible(before) else []
            label = labels[-1] if labels else None
            if label is None or LABEL_FILLER.match(before, label.end()).end() < len(before):
                return "published"
            kind = LABEL_KINDS[int(label.lastgroup[1:])][0]
            if kind == "published":
                return kind
    return kind
