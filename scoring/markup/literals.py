"""The literal syntax schema.org's validator reads: dates, times, numbers, URLs, booleans."""

from __future__ import annotations

import re

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TIME = r"(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
_TZ = r"(Z|[+-]\d{2}(?::?\d{2})?)?"
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T" + _TIME + _TZ + "$")
_TIME_RE = re.compile(r"^" + _TIME + _TZ + "$")
NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SPACE_RE = re.compile(r"\s")
BOOLEAN_TEXT = frozenset({"true", "false", "https://schema.org/true", "https://schema.org/false",
                           "http://schema.org/true", "http://schema.org/false"})
_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_ymd(y: str, m: str | None, d: str | None) -> bool:
    if m is None:
        return True
    mi = int(m)
    if not 1 <= mi <= 12:
        return False
    if d is None:
        return True
    di = int(d)
    if not 1 <= di <= _DAYS[mi]:
        return False
    if mi == 2 and di == 29:
        yi = int(y)
        return yi % 4 == 0 and (yi % 100 != 0 or yi % 400 == 0)
    return True


def _valid_hms(h: str, mi: str, s: str | None) -> bool:
    return int(h) <= 24 and int(mi) <= 59 and (s is None or int(s) <= 60)


def date_kind(text: str) -> tuple[str | None, bool]:
    """('date' | 'datetime' | 'time' | None, has time zone) for an ISO 8601 string."""
    m = _DATE_RE.match(text)
    if m:
        return ("date" if _valid_ymd(*m.groups()) else None), False
    m = _DATETIME_RE.match(text)
    if m:
        y, mo, d, h, mi, s, tz = m.groups()
        ok = _valid_ymd(y, mo, d) and _valid_hms(h, mi, s)
        return ("datetime" if ok else None), tz is not None
    m = _TIME_RE.match(text)
    if m:
        h, mi, s, tz = m.groups()
        return ("time" if _valid_hms(h, mi, s) else None), tz is not None
    return None, False


def url_ok(text: str) -> bool:
    if not text or _SPACE_RE.search(text):
        return False
    if text.startswith("https://"):  # the usual case, read as below without the regex
        return len(text) > 8 and text[8] not in "/?#"
    m = _SCHEME_RE.match(text)
    if m is None:
        return True  # relative reference: /path, path, #frag, ?q, //host/path
    scheme = m.group(1).lower()
    if scheme not in ("http", "https"):
        # "localhost:8080/x" has no scheme really, but we cannot tell; be strict
        return False
    rest = text[m.end():]
    return rest.startswith("//") and len(rest) > 2 and rest[2] not in "/?#"
