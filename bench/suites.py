"""The public benchmark suites of ../shared/benchmarks, read one way for the bench and the floor test.

Each suite becomes a list of `GoldPage` (file, url, language, gold authors, date and schema.org types). Names,
dates and types are normalised here, once, and applied identically to the gold and to every tool's answer,
so no tool is favoured by how its output is read.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# the repository's sibling ../shared, as for the other tests; HEALTHGEO_SHARED points elsewhere (a git worktree)
BENCHMARKS = Path(os.environ.get("HEALTHGEO_SHARED") or HERE.parents[1] / "shared") / "benchmarks"
GOLD_NOTES = HERE / "gold_notes.json"
SUITES = ("fundus", "readability", "extruct")
FIELDS = ("authors", "date", "types")


@dataclass(frozen=True)
class GoldPage:
    suite: str
    file: str  # relative to the suite's folder, as in gold.jsonl
    url: str | None
    lang: str  # primary language subtag, "und" when neither the gold nor the page says
    authors: tuple[str, ...] | None = None  # raw gold names or byline; None: the suite has no author gold
    date: str | None = None  # raw gold timestamp
    types: frozenset[str] | None = None  # expected schema.org short type names (extruct suite)
    # whether the gold speaks of the field on this page: a missing value then means "there is none"
    has_author_gold: bool = False
    has_date_gold: bool = False
    excluded: dict[str, str] = field(default_factory=dict)  # field -> why the gold is wrong (gold_notes.json)

    @property
    def path(self) -> Path:
        return BENCHMARKS / self.suite / self.file

    def html(self) -> bytes:
        data = self.path.read_bytes()
        return gzip.decompress(data) if self.file.endswith(".gz") else data


def available() -> bool:
    return (BENCHMARKS / "fundus" / "gold.jsonl").is_file()


# ---------------------------------------------------------------- names

@cache
def _words() -> dict[str, list[str]]:
    data = json.loads((HERE / "normalise.json").read_text(encoding="utf-8"))
    merged: dict[str, list[str]] = {}
    for kind, per_lang in data.items():
        if not kind.startswith("_"):
            merged[kind] = sorted({w for words in per_lang.values() for w in words}, key=len, reverse=True)
    return merged


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in words)


@cache
def _patterns() -> dict[str, re.Pattern]:
    words = _words()
    return {
        "prefix": re.compile(rf"^\s*(?:{_alternation(words['byline_prefixes'])})\b[\s:]*", re.I),
        "conjunction": re.compile(rf"\s*(?:^|\s)(?:{_alternation(words['conjunctions'])})(?:\s|$)\s*|\s*[&;|/]\s*",
                                  re.I),
        "honorific": re.compile(rf"^(?:(?:{_alternation(words['honorifics'])})\.?\s+)+", re.I),
        "month": re.compile(rf"\b(?:{_alternation(words['months'])})\b\.?", re.I),
        "credential": re.compile(rf"^(?:{_alternation(words['credentials'])})\.?$", re.I),
        "with_aside": re.compile(rf"\(\s*((?:{_alternation(words['conjunctions'])})\s[^()]*)\)", re.I),
    }


_URL = re.compile(r"\(?\s*(?:https?://|www\.)\S*\s*\)?", re.I)
_ASIDE = re.compile(r"\([^()]*\)")


def _is_date_text(text: str) -> bool:
    """A byline piece that is a date or a time, not a name ("March 25", "2015 3:46 PM"): it holds a digit or a
    month name, and once those and punctuation are gone at most words of two letters ("at", "pm", "le") remain.
    (Without a digit or a month, short words are names: many Chinese, Japanese and Korean names have two.)"""
    rest = _patterns()["month"].sub(" ", text)
    if rest == text and not any(ch.isdigit() for ch in text):
        return False
    return all(len(word) <= 2 for word in re.sub(r"[\W\d_]+", " ", rest).split())


def split_byline(text: str | None) -> list[str]:
    """The names in a byline or author string: "By A, MD and B" -> ["A", "B"].

    Strips "By"/"Par"/"Von"/"Por" (and longer forms), URLs, honorifics; splits on line breaks, commas,
    "and"/"et"/"und"/"y"/"with"/"avec", "&", ";"; reads "A (avec B et C)" as three names and drops other
    asides in brackets ("Bruno (Henrique) Rodrigues", "Jane Doe (Reuters)"); drops credentials after commas
    and pieces that are dates. Order kept, duplicates removed.
    """
    if not text:
        return []
    pats = _patterns()
    names: list[str] = []
    text = _ASIDE.sub(" ", pats["with_aside"].sub(r", \1", _URL.sub(" ", text)))
    for line in re.split(r"[\r\n]+", text):
        for piece in line.split(","):
            for part in pats["conjunction"].split(piece):
                part = pats["prefix"].sub("", part.strip())
                part = " ".join(pats["honorific"].sub("", part).strip(" .:-–—·•'\"").split())
                if not part or pats["credential"].match(part) or _is_date_text(part):
                    continue
                if part not in names:
                    names.append(part)
    return names


def name_key(name: str) -> str:
    """Case-, diacritics-, punctuation- and whitespace-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def author_keys(names: Iterable[str] | None) -> frozenset[str]:
    """Every name of a tool's (or the gold's) author list, split and normalised the same way."""
    return frozenset(name_key(n) for raw in names or () for n in split_byline(raw) if name_key(n))


# ---------------------------------------------------------------- dates

_STAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
                    r"\s*(Z|[+-]\d{2}:?\d{2})?", re.I)


def parse_stamp(value: str | None) -> tuple[date, datetime | None] | None:
    """(calendar day as written, aware datetime when the value has a time and a zone)."""
    match = _STAMP.search(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        written = date(int(year), int(month), int(day))
        if hour is None or zone is None:
            return written, None
        offset = timedelta(0) if zone.upper() == "Z" else (
            (1 if zone[0] == "+" else -1) * timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:])))
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                          tzinfo=timezone(offset))
    except ValueError:
        return None
    return written, moment


def day_difference(gold: str, found: str | None) -> int | None:
    """Days between a tool's date and the gold's, read as the day in the gold's own offset; None: no date."""
    gold_parsed, found_parsed = parse_stamp(gold), parse_stamp(found)
    if gold_parsed is None or found_parsed is None:
        return None
    gold_day, gold_moment = gold_parsed
    found_day, found_moment = found_parsed
    if gold_moment is not None and found_moment is not None:
        found_day = found_moment.astimezone(gold_moment.tzinfo).date()
    return abs((found_day - gold_day).days)


# ---------------------------------------------------------------- schema.org types

_SCHEMA_IRI = re.compile(r"^https?://(?:www\.)?schema\.org/([A-Za-z0-9_]+)/?$")


def _schema_context(context: Any) -> bool:
    return "schema.org" in json.dumps(context) if context is not None else False


def _type_name(value: str, in_schema_context: bool) -> str | None:
    match = _SCHEMA_IRI.match(value.strip())
    if match:
        return match.group(1)
    if value.startswith("schema:"):
        return value[len("schema:"):]
    if in_schema_context and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", value):
        return value
    return None


def schema_types(data: Any, in_schema_context: bool = False) -> set[str]:
    """Short schema.org type names anywhere in extruct-shaped data: JSON-LD (compact or expanded) and
    microdata items ({"type": IRI, "properties": ...}); types of other vocabularies are left out."""
    found: set[str] = set()
    stack: list[tuple[Any, bool]] = [(data, in_schema_context)]
    while stack:
        item, in_schema = stack.pop()
        if isinstance(item, list):
            stack.extend((child, in_schema) for child in item)
        elif isinstance(item, dict):
            if "@context" in item:
                in_schema = _schema_context(item["@context"])
            for key in ("@type", "type"):
                values = item.get(key)
                for value in values if isinstance(values, list) else [values]:
                    # a bare "type" is microdata's key: only IRIs count there (microformats use it too)
                    if isinstance(value, str):
                        name = _type_name(value, in_schema and key == "@type")
                        if name:
                            found.add(name)
            stack.extend((child, in_schema) for key, child in item.items() if key != "@context")
    return found


def engine_types(types: Iterable[str]) -> set[str]:
    """The engine's type list (short names for schema.org), the same filter as for the gold."""
    return {name for t in types if (name := _type_name(t, True))}


# ---------------------------------------------------------------- suites

_HTML_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.I)


def page_language(html: bytes) -> str | None:
    match = _HTML_LANG.search(html[:65536])
    return match.group(1).decode().lower() if match else None


def _lang(value: str | None) -> str | None:
    return value.split("-")[0].split("_")[0].lower() if value else None


@cache
def gold_notes() -> dict[tuple[str, str], dict[str, str]]:
    """{(suite, file): {field: why}} from bench/gold_notes.json."""
    notes: dict[tuple[str, str], dict[str, str]] = {}
    if GOLD_NOTES.is_file():
        for note in json.loads(GOLD_NOTES.read_text(encoding="utf-8"))["notes"]:
            notes.setdefault((note["suite"], note["file"]), {})[note["field"]] = note["why"]
    return notes


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _fundus() -> list[GoldPage]:
    pages = []
    for row in _read_jsonl(BENCHMARKS / "fundus" / "gold.jsonl"):
        page = GoldPage("fundus", row["file"], row.get("url"), "und", authors=tuple(row.get("authors") or ()),
                        date=row.get("date_published"), has_author_gold=True, has_date_gold=True,
                        excluded=gold_notes().get(("fundus", row["file"]), {}))
        pages.append(_with_lang(page, None))
    return pages


def _readability() -> list[GoldPage]:
    pages = []
    for row in _read_jsonl(BENCHMARKS / "readability" / "gold.jsonl"):
        byline = row.get("byline")
        page = GoldPage("readability", row["file"], row.get("url"), "und",
                        authors=(byline,) if byline else (), date=row.get("date_published"),
                        # Readability records publishedTime only for some pages: no gold date says nothing
                        has_author_gold=True, has_date_gold=bool(row.get("date_published")),
                        excluded=gold_notes().get(("readability", row["file"]), {}))
        pages.append(_with_lang(page, _lang(row.get("lang"))))
    return pages


_EXTRUCT_GOLD_SUFFIXES = (".json", ".jsonld", ".expanded.json")


def _extruct() -> list[GoldPage]:
    root = BENCHMARKS / "extruct"
    pages = []
    for html_path in sorted(root.rglob("*.html")):
        stem = html_path.with_suffix("")
        gold_files = [Path(f"{stem}{suffix}") for suffix in _EXTRUCT_GOLD_SUFFIXES]
        gold_files = [path for path in gold_files if path.is_file()]
        if not gold_files:
            continue  # a sample without expected data says nothing about types
        expected: set[str] = set()
        for path in gold_files:
            expected |= schema_types(json.loads(path.read_text(encoding="utf-8")))
        file = html_path.relative_to(root).as_posix()
        page = GoldPage("extruct", file, "http://example.com/" + html_path.name, "und", types=frozenset(expected),
                        excluded=gold_notes().get(("extruct", file), {}))
        pages.append(_with_lang(page, None))
    return pages


def _with_lang(page: GoldPage, lang: str | None) -> GoldPage:
    lang = lang or page_language(page.html()) or "und"
    return GoldPage(page.suite, page.file, page.url, lang, page.authors, page.date, page.types,
                    page.has_author_gold, page.has_date_gold, page.excluded)


LOADERS = {"fundus": _fundus, "readability": _readability, "extruct": _extruct}


def load_suite(name: str) -> list[GoldPage]:
    return LOADERS[name]()


def suite_fields(name: str) -> tuple[str, ...]:
    return ("types",) if name == "extruct" else ("authors", "date")


def gold_speaks(page: GoldPage, field: str) -> bool:
    return {"authors": page.has_author_gold, "date": page.has_date_gold, "types": page.types is not None}[field]


# ---------------------------------------------------------------- scoring one page

def score_authors(gold: frozenset[str], found: frozenset[str]) -> dict[str, bool]:
    """Outcomes for one page: on pages with gold authors, exact set and at least one right; on pages
    without, whether the tool named someone anyway."""
    if gold:
        return {"exact": found == gold, "any": bool(found & gold)}
    return {"false": bool(found)}


def score_date(gold: str | None, found: str | None) -> dict[str, bool]:
    if gold:
        diff = day_difference(gold, found)
        return {"same_day": diff == 0, "within_1": diff is not None and diff <= 1}
    return {"false": parse_stamp(found) is not None}


def score_types(gold: frozenset[str], found: set[str]) -> dict[str, Any]:
    return {"exact": found == gold, "tp": len(found & gold), "fp": len(found - gold), "fn": len(gold - found)}
