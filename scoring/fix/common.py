"""What every part of the fix shares: the graph's small helpers (values, types, ids, URLs)."""

from __future__ import annotations

import html as _html
import re
from typing import Any
from urllib.parse import urlsplit

from scoring.facts.people.credentials import HONORIFICS
from scoring.facts.people.names import PROFESSIONS, parse_person, person_key
from scoring.markup import vocab as V

CONTEXT = "https://schema.org"


TEMP_ID_PREFIX = "_:healthgeo-fix-"


HONORIFIC_CANON = frozenset(HONORIFICS.values())


PROFESSION_CANON = frozenset(PROFESSIONS.values())


DID_YOU_MEAN = re.compile(r"Did you mean (\w+)\?")


HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def flat(value: Any) -> list:
    """The values of a property as a new list, nested lists flattened."""
    if value is None:
        return []
    if not isinstance(value, list):
        return [value]
    out: list = []
    for item in value:
        if isinstance(item, list):
            out.extend(flat(item))
        else:
            out.append(item)
    return out


def first_str(value: Any) -> str | None:
    if isinstance(value, str):  # the usual single value
        return value.strip() or None
    for item in flat(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
    return None


def real_id(node: dict) -> str | None:
    ident = node.get("@id")
    return ident if isinstance(ident, str) and ident and not ident.startswith(TEMP_ID_PREFIX) else None


def types_of(node: dict) -> list[str]:
    raw = node.get("@type")
    if not raw:
        return []
    if isinstance(raw, list):
        return [t for t in raw if isinstance(t, str)]
    return [raw] if isinstance(raw, str) else []


def is_stub(node: dict) -> bool:
    return not types_of(node) and all(k.startswith("@") for k in node)


def is_party(node: dict) -> bool:
    """A Person or an Organization (or a subtype): what author, publisher and reviewedBy expect."""
    return any(not is_foreign_term(t) and V.is_type(t)
               and (V.is_subtype(t, "Person") or V.is_subtype(t, "Organization")) for t in types_of(node))


def is_foreign_term(term: str) -> bool:
    return ":" in term or "/" in term


def page_family(t: str) -> bool:
    return not is_foreign_term(t) and V.is_type(t) and V.is_subtype(t, "WebPage")


def org_family(t: str) -> bool:
    return not is_foreign_term(t) and V.is_type(t) and V.is_subtype(t, "Organization")


def origin_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}/"


def host_of(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def norm_url(url: str) -> str:
    """The comparison key of scoring.markup.consistency: host without www, path without trailing slash."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return url.strip()
    return f"{host}{parts.path.rstrip('/')}"


def work_url_key(url: str) -> str:
    """A cited work known only by its URL: the page key with the query, which often names the work
    (`query.fcgi?list_uids=123`, `article.php?id=9`). A work with a DOI, PMID or PMCID is known by those."""
    query = url.partition("?")[2].partition("#")[0]
    return norm_url(url) + ("?" + query if query else "")


def summary(value: Any) -> Any:
    """A short JSON-safe picture of a value for the changes list."""
    if isinstance(value, list):
        items = [summary(v) for v in value[:5]]
        return items + [f"... ({len(value) - 5} more)"] if len(value) > 5 else items
    if isinstance(value, dict):
        out: dict = {}
        ident = real_id(value)
        if ident:
            out["@id"] = ident
        types = types_of(value)
        if types:
            out["@type"] = types[0] if len(types) == 1 else types
        for key in ("name", "url", "headline"):
            text = first_str(value.get(key))
            if text:
                out[key] = text[:200]
                break
        return out
    if isinstance(value, str) and len(value) > 300:
        return value[:297] + "..."
    return value


def unescape_entities(text: str) -> str:
    """Decode HTML entities, twice-escaped ones ("&amp;#34;") included."""
    for _ in range(3):
        new = _html.unescape(text)
        if new == text:
            break
        text = new
    return text


def is_prefixed(key: str) -> bool:
    """A compact IRI of another vocabulary ("og:title"); full IRIs and JSON-LD keywords are not."""
    return ":" in key and not key.startswith("@") and not key.startswith("http")


def walk_nodes(graph: list[dict]):
    seen: set[int] = set()
    stack = list(reversed(graph))
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        children = []
        for key, value in node.items():
            if isinstance(value, dict):
                if not key.startswith("@"):
                    children.append(value)
            elif isinstance(value, list) and not key.startswith("@"):
                children.extend(v for v in flat(value) if isinstance(v, dict))
        stack.extend(reversed(children))


def value_key(value: Any) -> str | None:
    if isinstance(value, str):
        parsed = parse_person(value)
        return person_key(parsed["name"]) if parsed else None
    if isinstance(value, dict):
        name = first_str(value.get("name"))
        if not name:
            given, family = first_str(value.get("givenName")), first_str(value.get("familyName"))
            name = " ".join(x for x in (given, family) if x) or None
        if not name:
            return None
        types = types_of(value)
        # as scoring.facts.people.extract reads markup: an organisation's name is taken whole
        org = any("Organization" in t or t in ("Physician", "Hospital") for t in types)
        parsed = None if org else parse_person(name)
        return person_key(parsed["name"] if parsed else name)
    return None


Said = tuple[str, dict]  # a reason or message by code: (code, params), templates in scoring/messages "fix"


def said(code: str, **params: Any) -> Said:
    """A reason or missing-item message by code (EN and FR templates in scoring/messages/<lang>.json "fix")."""
    return code, params

