"""Dates written as text: calendar words (from calendar.json), the patterns of written dates, and parsing.

`parse_date` and `to_iso_date` read a date from markup, a meta tag, a datetime attribute or page text;
`find_written_date` and `date_at` find one inside a text (anywhere, or right after a label). Months, weekdays,
ordinal suffixes and day-month connectors come from `scoring/lang/<code>/calendar.json`, the words
allowed between a label and its date from `dates.json` ("on", "le", "am", "el").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from scoring import langdata
from scoring.phrases import PhraseSet

MIN_YEAR = 1995
FUTURE_SLACK = timedelta(days=1)  # time zones: "today" somewhere may be tomorrow here

# ------------------------------------------------------------------ months and weekdays (calendar.json)

MONTHS: dict[str, int] = langdata.mapping("calendar", "months")
_WEEKDAYS: tuple[str, ...] = tuple(langdata.mapping("calendar", "weekdays"))
_ORDINALS: tuple[str, ...] = langdata.words("calendar", "ordinal_suffixes")
_CONNECTORS: tuple[str, ...] = langdata.words("calendar", "day_month_connectors")


def alternation(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_MON_RE = rf"(?P<mon>(?:{alternation(MONTHS)})(?![^\W\d_]))\.?"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?![\d])"
ORDINAL = rf"(?:{alternation(_ORDINALS)})?"
CONNECTOR = rf"(?:(?:{alternation(_CONNECTORS)})\s+)?" if _CONNECTORS else ""
# two-letter weekdays ("Mo., 3. März") only with their comma: alone they are too often other words
_WEEKDAY = (rf"(?:(?:{alternation(w for w in _WEEKDAYS if len(w) > 2)})\.?,?\s+"
            rf"|(?:{alternation(w for w in _WEEKDAYS if len(w) <= 2)})\.?,\s+)")

# what a written date can open with: a digit, a weekday or a month ("3 mars", "Monday, March 3", "Sept. 8")
DATE_START = rf"(?:\d|{_WEEKDAY}|(?:{alternation(MONTHS)})(?![^\W\d_]))"

_ISO = re.compile(
    r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)"
    r"(?:(?:T|\s+)(?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-][01]\d(?::?[0-5]\d)?)?)?(?![\d])", re.I)
_MDY = re.compile(rf"{_MON_RE}\s*(?P<d>[0-3]?\d){ORDINAL}(?![\d:]),?\s+{_YEAR}", re.I)
_DMY = re.compile(rf"(?P<d>[0-3]?\d){ORDINAL}\s*{CONNECTOR}{_MON_RE},?\s+{CONNECTOR}{_YEAR}", re.I)
_YMD_TEXT = re.compile(rf"{_YEAR}\s+{_MON_RE}\s+(?P<d>[0-3]?\d)(?![\d])", re.I)
NUMERIC = re.compile(r"(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[/.\-])(?P<b>[0-3]?\d)(?P=sep)"
                      r"(?P<y>(?:19|20)\d\d|\d\d)(?![\d])")
_YMD_SLASH = re.compile(r"(?P<y>(?:19|20)\d\d)/(?P<m>[01]?\d)(?:/(?P<d>[0-3]?\d))?(?![\d/])")
_MY = re.compile(rf"{_MON_RE},?\s+{_YEAR}", re.I)
# a month written in figures ("Last reviewed: 03/2024", "Stand: 02.2024"): only right after a label, as alone
# in running text it is as often a fraction, a score or a reference
_MY_NUMERIC = re.compile(r"(?<![\d/.])(?P<m>0?[1-9]|1[0-2])(?P<sep>[/.])(?P<y>(?:19|20)\d\d)(?![\d/.]\d)")
_COMPACT = re.compile(r"\s*(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:\d{6})?\s*$")
_BARE_YEAR = re.compile(r"\s*\d{4}\s*$")
_WEEKDAY_PREFIX = re.compile(_WEEKDAY, re.I)
# order matters where two patterns can start at the same place
_TEXT_PATTERNS = (_ISO, _MDY, _DMY, _YMD_TEXT, NUMERIC, _YMD_SLASH, _MY)
_LABELLED_PATTERNS = (*_TEXT_PATTERNS, _MY_NUMERIC)


def current_day() -> date:
    return date.today()


def build_date(y: int, m: int, d: int | None, *, latest: date | None) -> str | None:
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
    if pattern is NUMERIC:
        a, b = int(groups["a"]), int(groups["b"])
        if len(groups["y"]) == 2:
            y += 2000 if y + 2000 <= (latest or current_day()).year else 1900
        if a > 12 >= b or groups["sep"] == ".":
            d, m = a, b
        elif b > 12 >= a:
            m, d = a, b
        else:
            d, m = (a, b) if day_first else (b, a)
        iso = build_date(y, m, d, latest=latest)
        return (iso, "day") if iso else None
    if "mon" in groups:
        m = MONTHS.get(groups["mon"].lower().rstrip("."))
        if m is None:
            return None
    else:
        m = int(groups["m"])
    d = int(groups["d"]) if groups.get("d") else None
    iso = build_date(y, m, d, latest=latest)
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


def find_written_date(text: str, day_first: bool, latest: date | None) -> tuple[Parsed, int, int] | None:
    """The first date written anywhere in `text`, with where it starts and ends."""
    pos = 0
    while pos < len(text):
        best: re.Match | None = None
        for pattern in _TEXT_PATTERNS:
            match = pattern.search(text, pos)
            if match and (best is None or match.start() < best.start()):
                best = match
        if best is None:
            return None
        parsed = _from_match(best, day_first, latest)
        if parsed:
            return parsed, best.start(), best.end()
        pos = best.end()  # an impossible or future first candidate: try the rest of the string
    return None


def _search_date(text: str, day_first: bool, latest: date | None) -> Parsed | None:
    found = find_written_date(text, day_first, latest)
    return found[0] if found else None


def date_at(text: str, pos: int, day_first: bool, latest: date | None) -> tuple[Parsed | None, int]:
    """A date starting at `pos` (after label filler and an optional weekday): ((iso, precision), end). Read
    after a label, it may be a month in figures ("03/2024")."""
    pos = LABEL_FILLER.match(text, pos).end()
    weekday = _WEEKDAY_PREFIX.match(text, pos)
    starts = (pos, weekday.end()) if weekday else (pos,)
    for start in starts:
        for pattern in _LABELLED_PATTERNS:
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
    today = today or current_day()
    latest = None if allow_future else today + FUTURE_SLACK
    if isinstance(value, (list, tuple)):
        for item in value:
            parsed = parse_date(item, day_first=day_first, today=today, allow_future=allow_future)
            if parsed:
                return parsed
        return None
    if isinstance(value, dict):
        value = value.get("@value")
    if isinstance(value, datetime):
        iso = build_date(value.year, value.month, value.day, latest=latest)
        if iso is None or value.tzinfo is None:
            return (iso, "day") if iso else None
        return value.replace(microsecond=0).isoformat(), "time"
    if isinstance(value, date):
        iso = build_date(value.year, value.month, value.day, latest=latest)
        return (iso, "day") if iso else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 200 or _BARE_YEAR.match(text):
        return None
    match = _COMPACT.match(text)
    if match:
        iso = build_date(int(match["y"]), int(match["m"]), int(match["d"]), latest=latest)
        return (iso, "day") if iso else None
    return _search_date(text, day_first, latest)


LABEL_LANGS = ("en", "fr", "de", "es")  # the languages with label phrases in dates.json
LABEL_FILLER = re.compile(
    r"[\s:：\-–—,|.()]*(?:(?:" + "|".join(PhraseSet(langdata.words("dates", "fillers", LABEL_LANGS)).phrases)
    .replace(" ", r"\s+") + r")\b[\s:]*)?", re.I)
