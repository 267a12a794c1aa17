"""Does the markup say what the page shows? Markup that disagrees with the page is worse than none."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from scoring.facts.language import language_name, normalize_lang

_MONTH = re.compile(r"\d{4}-\d{2}")  # a date given to the month (ISO 8601 allows it): agrees with any day of it
_TOKEN = re.compile(r"\w+", re.U)
DATE_FIELDS = (("datePublished", "date_published", "published"), ("dateModified", "date_modified", "modified"),
               ("lastReviewed", "last_reviewed", "reviewed"))


def _tokens(text: str) -> set[str]:
    text = unicodedata.normalize("NFKD", text).casefold()
    return {t for t in _TOKEN.findall(text) if len(t) > 1}


def similar_text(a: str, b: str) -> bool:
    """Same headline give or take the site name, punctuation or a subtitle."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    small, large = sorted((ta, tb), key=len)
    return len(small & large) / len(small) >= 0.7


def _first_str(value: Any) -> str | None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.strip():
            return item.strip()
    return None


def _normal_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def _finding(severity: str, prop: str, message: str, markup: Any, page: Any, key: str, params: dict) -> dict:
    # message_key + params render the sentence in any language (scoring/messages "consistency"); message: English
    return {"severity": severity, "property": prop, "message": message, "markup": markup, "page": page,
            "code": "markup-page-mismatch", "source": "consistency", "message_key": key, "params": params}


def compare_markup_with_page(node: dict | None, facts: dict) -> tuple[list[dict], int]:
    """(findings, number of values compared) for the page node against the visible page."""
    if not node:
        return [], 0
    findings: list[dict] = []
    compared = 0
    headline = _first_str(node.get("headline")) or _first_str(node.get("name"))
    visible_titles = [t for t in (facts["h1"][:1] + [facts["title"]]) if t]
    if headline and visible_titles:
        compared += 1
        if not any(similar_text(headline, t) for t in visible_titles):
            findings.append(_finding("warning", "headline", f"headline \u201c{headline[:80]}\u201d matches neither "
                                     f"the H1 nor the title \u201c{visible_titles[0][:80]}\u201d", headline,
                                     visible_titles[0], "headline-differs",
                                     {"headline": headline[:80], "title": visible_titles[0][:80]}))
    for prop, role in (("author", "authors"), ("reviewedBy", "reviewers")):
        people = facts[role]
        marked = [p["name"] for p in people if "markup" in p["sources"]]
        shown = [p["name"] for p in people if p["source"] != "markup" and p["sources"] != ["meta"]]
        if not marked or not shown:
            continue
        compared += 1
        unmarked = [p["name"] for p in people if "markup" not in p["sources"] and "byline" in p["sources"]]
        invisible = [p["name"] for p in people if p["sources"] == ["markup"]]
        if unmarked and invisible:
            findings.append(_finding("error", prop, f"{prop} in markup ({', '.join(invisible)}) is not the person "
                                     f"shown on the page ({', '.join(unmarked)})", invisible, unmarked,
                                     "person-not-shown", {"property": prop, "marked": invisible, "shown": unmarked}))
        elif unmarked:
            findings.append(_finding("warning", prop, f"visible {role[:-1]} missing from {prop}: "
                                     f"{', '.join(unmarked)}", marked, shown, f"{role[:-1]}-not-marked",
                                     {"property": prop, "count": len(unmarked), "names": unmarked}))
    visible = facts["dates"].get("visible") or []
    for prop, _fact, kind in DATE_FIELDS:
        value = _first_str(node.get(prop))
        shown_dates = sorted({(v.get("date") or "")[:10] for v in visible if v.get("kind") == kind and v.get("date")})
        if not value or not shown_dates:
            continue
        compared += 1
        if value[:10] not in shown_dates and not (_MONTH.fullmatch(value) and any(d[:7] == value for d in shown_dates)):
            findings.append(_finding("error", prop, f"{prop} is {value[:10]} but the page shows "
                                     f"{', '.join(shown_dates)}", value, shown_dates, "date-differs",
                                     {"property": prop, "markup_date": value[:10], "page_dates": shown_dates}))
    in_language = normalize_lang(_first_str(node.get("inLanguage")))
    if in_language and facts["language"]:
        compared += 1
        if in_language != facts["language"]:
            findings.append(_finding("error", "inLanguage", f"inLanguage is \u201c{in_language}\u201d but the page "
                                     f"is in {language_name(facts['language'], 'en')}", in_language,
                                     facts["language"], "language-differs",
                                     {"markup_language": in_language, "page_language": facts["language"]}))
    url = _first_str(node.get("url"))
    if url and facts.get("canonical"):
        compared += 1
        if _normal_url(url) != _normal_url(facts["canonical"]):
            findings.append(_finding("warning", "url", f"url {url} differs from the canonical URL "
                                     f"{facts['canonical']}", url, facts["canonical"], "url-differs",
                                     {"url": url, "canonical": facts["canonical"]}))
    return findings, compared
