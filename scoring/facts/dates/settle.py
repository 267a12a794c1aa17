"""Settling the candidates: which reading of a written date, the original publication date, the page's own offset."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from scoring.facts.dates.text import (
    NUMERIC,
    Parsed,
    build_date,
    current_day,
)


def other_reading(text: str, iso: str) -> str | None:
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


def confirmed(entry: dict, parsed: Parsed, machine: set[str]) -> tuple[dict, Parsed]:
    """A shown date, read the other way round when only that reading is a day the page's markup, meta tags,
    <time> elements or URL give."""
    if parsed[1] != "day" or parsed[0] in machine:
        return entry, parsed
    other = other_reading(entry["text"], parsed[0])
    if other is None or other not in machine:
        return entry, parsed
    return {**entry, "date": other}, (other, "day")


FIELDS = (("date_published", "datePublished"), ("date_modified", "dateModified"),
           ("last_reviewed", "lastReviewed"))
KIND_FIELD = {"published": "date_published", "updated": "date_modified", "reviewed": "last_reviewed"}
# sources that state a date for what it is; the original publication date is the earliest of theirs
_STATED = ("markup", "meta", "time", "visible")


def moment_of(parsed: Parsed) -> datetime | None:
    return datetime.fromisoformat(parsed[0]) if parsed[1] == "time" else None


def _day(parsed: Parsed) -> date:
    return date.fromisoformat(parsed[0][:10])


def _earlier(a: Parsed, b: Parsed) -> bool:
    """a before b: by the instant when both give one, else by the day as written."""
    ma, mb = moment_of(a), moment_of(b)
    if ma is not None and mb is not None:
        return ma < mb
    return _day(a) < _day(b)


def _same(a: Parsed, b: Parsed) -> bool:
    ma, mb = moment_of(a), moment_of(b)
    return ma == mb if ma is not None and mb is not None else _day(a) == _day(b)


def _fidelity(parsed: Parsed) -> int:
    """How much a form says: a time in the page's own offset, a time in UTC, a day, a month."""
    if parsed[1] == "time":
        return 3 if moment_of(parsed).utcoffset() else 2
    return 1 if parsed[1] == "day" else 0


def original_publication(candidates: list[tuple[Parsed, str]]) -> tuple[Parsed, str]:
    """The original publication date: the earliest stated one (a later datePublished or <time> is a
    republication), in its most telling form."""
    stated = [c for c in candidates if c[1] in _STATED] or candidates[:1]
    first = stated[0]
    for candidate in stated[1:]:
        if _earlier(candidate[0], first[0]):
            first = candidate
    same = [c for c in stated if _same(c[0], first[0])]
    return max(same, key=lambda c: _fidelity(c[0]))  # max keeps the first of equals: trust order


def in_page_offset(parsed: Parsed, offsets: list[timedelta], shown: list[Parsed]) -> Parsed:
    """A UTC timestamp given in the page's own offset: the one its other timestamps carry, else the day the
    page shows for it when that is the UTC day plus or minus one (never the UTC day over the page's)."""
    moment = moment_of(parsed)
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
