"""Google's rich-result requirements, judged on the structured data already extracted.

Separate from the schema.org vocabulary (``scoring.validate``): a node can be valid schema.org and still
lack what Google needs to show a rich result (a ListItem without a name, a Review without a rating). The
rules are data, one entry per Google feature citing its Search Central page: ``scoring/data/rich_results.json``.

``rich_results(data, root) -> {"findings", "notices", "features", "judged", "errors", "warnings"}``

Each finding::

    {"feature": "breadcrumb", "type": "ListItem", "property": "name", "severity": "error" | "warning",
     "code": "missing-required", "params": {...}, "node": "<@id or path>", "syntax": "json-ld" | ...,
     "doc": "<Search Central page>", "message": "<English>"}

Codes (texts in ``scoring/messages/<lang>.json``, section ``rich_results``): missing-required,
missing-recommended, invalid-value, too-long, too-few-items, rating-out-of-range, deprecated-vocabulary.
Notices never cost anything and never promise: ``no-rich-result`` for features Google retired (FAQPage,
HowTo: validated all the same) and ``no-rich-result-type`` for page types with no rich result of their own
(MedicalWebPage).
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from scoring.markup import vocab
from scoring.markup.graph import StructuredData

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\Z")
_ISO_DURATION = re.compile(r"P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?"
                           r"(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?\Z")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LOWER = ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_LOWER = str.maketrans(*_LOWER)  # what XPath translate() with _LOWER does


@cache
def rules() -> dict[str, Any]:
    path = resources.files("scoring").joinpath("data", "rich_results.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def article_properties() -> frozenset[str]:
    """The properties Google's Article feature asks of the page's article (what the fix reports as missing)."""
    names: set[str] = set()
    for entry in rules()["features"]:
        if entry["feature"] == "article":
            for spec in entry.get("required", []) + entry.get("recommended", []):
                names.update(spec if isinstance(spec, list) else [spec])
    return frozenset(names)


@cache
def _matches(type_name: str, wanted: tuple[str, ...], subtypes: bool) -> bool:
    if type_name in wanted:
        return True
    return subtypes and any(vocab.is_subtype(type_name, of) for of in wanted)


def _values(node: dict, dotted: str) -> list[Any]:
    """The non-empty values at a dotted property path (``item.name``), across lists."""
    current: list[Any] = [node]
    for part in dotted.split("."):
        found: list[Any] = []
        for value in current:
            if not isinstance(value, dict):
                continue
            got = value.get(part)
            found.extend(got if isinstance(got, list) else [got])
        current = [v for v in found if v is not None and not (isinstance(v, str) and not v.strip())]
    return current


def _is_url(value: Any) -> bool:
    if isinstance(value, dict):  # a node standing for the resource: its @id or url is the URL
        return any(_is_url(v) for v in (value.get("@id"), value.get("url")) if v)
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or any(c.isspace() for c in text) or text.lower().startswith(("data:", "javascript:")):
        return False
    scheme = _URL_SCHEME.match(text)
    return scheme is None or text.lower().startswith(("http://", "https://"))


def _valid(kind: str, value: Any) -> bool:
    if kind == "date":
        return isinstance(value, str) and bool(_ISO_DATE.match(value.strip()[:64]))
    if kind == "duration":
        return isinstance(value, str) and bool(_ISO_DURATION.match(value.strip()[:64]))
    if kind == "url":
        return _is_url(value)
    if kind == "image":  # a URL, or an ImageObject node (judged by its own rule)
        return isinstance(value, dict) or _is_url(value)
    return True


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip()[:64].replace(",", "."))
        except ValueError:
            return None  # "4/5", "80%": Google reads no range from these, nor do we
        return number if math.isfinite(number) else None
    return None


class _Run:
    def __init__(self, cap: int) -> None:
        self.findings: list[dict] = []
        self.cap = cap
        self.dropped = 0

    def add(self, entry: dict, node_types: list[str], where: str, syntax: str | None, severity: str, code: str,
            prop: str | None, **params: Any) -> None:
        if len(self.findings) >= self.cap:
            self.dropped += 1
            return
        type_name = next((t for t in node_types if _matches(t, tuple(entry["types"]), entry.get("subtypes", False))),
                         node_types[0] if node_types else "")
        params = {"type": type_name, "property": prop or "", **params}
        self.findings.append({"feature": entry["feature"], "type": type_name, "property": prop,
                              "severity": severity, "code": code, "params": params, "node": where,
                              "syntax": syntax, "doc": entry.get("doc")})

    def require(self, entry: dict, node: dict, types: list[str], where: str, syntax: str | None,
                specs: list, severity: str) -> None:
        code = "missing-required" if severity == "error" else "missing-recommended"
        for spec in specs:
            names = spec if isinstance(spec, list) else [spec]
            if not any(_values(node, name) for name in names):
                self.add(entry, types, where, syntax, severity, code, names[0], alternatives="/".join(names))


def _judge(run: _Run, entry: dict, node: dict, where: str, is_root: bool) -> None:
    types = list(node.get("@type") or [])
    syntax = node.get("@syntax")
    run.require(entry, node, types, where, syntax, entry.get("required", []), "error")
    if is_root:
        run.require(entry, node, types, where, syntax, entry.get("required_at_root", []), "error")
    run.require(entry, node, types, where, syntax, entry.get("recommended", []), "warning")
    if is_root:
        run.require(entry, node, types, where, syntax, entry.get("recommended_at_root", []), "warning")
    for prop, kind in entry.get("kinds", {}).items():
        for value in _values(node, prop)[:1]:
            if not _valid(kind, value):
                shown = value if isinstance(value, str) else json.dumps(value, default=str)
                run.add(entry, types, where, syntax, "error" if _is_required(entry, prop) else "warning",
                        "invalid-value", prop, value=shown[:80])
    for prop, limit in entry.get("max_length", {}).items():
        for value in _values(node, prop)[:1]:
            if isinstance(value, str) and len(value.strip()) > limit:
                run.add(entry, types, where, syntax, "warning", "too-long", prop, max=limit,
                        length=len(value.strip()))
    if "rating_range" in entry:
        _rating(run, entry, node, types, where, syntax)
    if "list" in entry:
        _list_items(run, entry, node, where, syntax)
    for prop, child_rule in entry.get("children", {}).items():
        for index, child in enumerate(_values(node, prop)):
            if isinstance(child, dict):
                child_types = list(child.get("@type") or [child_rule["type"]])
                child_entry = {**entry, "types": [child_rule["type"], *child_types]}
                run.require(child_entry, child, child_types, f"{where} > {prop}[{index}]",
                            child.get("@syntax") or syntax, child_rule["required"], "error")


def _is_required(entry: dict, prop: str) -> bool:
    specs = entry.get("required", []) + entry.get("required_at_root", [])
    return any(prop == s or (isinstance(s, list) and prop in s) for s in specs)


def _rating(run: _Run, entry: dict, node: dict, types: list[str], where: str, syntax: str | None) -> None:
    value = _number(next(iter(_values(node, "ratingValue")), None))
    if value is None:
        return
    best = _number(next(iter(_values(node, "bestRating")), None))
    worst = _number(next(iter(_values(node, "worstRating")), None))
    best = entry["rating_range"]["best"] if best is None else best
    worst = entry["rating_range"]["worst"] if worst is None else worst
    if not worst <= value <= best:
        run.add(entry, types, where, syntax, "error", "rating-out-of-range", "ratingValue", value=value,
                best=best, worst=worst)


def _list_items(run: _Run, entry: dict, node: dict, where: str, syntax: str | None) -> None:
    spec = entry["list"]
    items = _values(node, spec["property"])
    if not items:
        return  # reported as a missing required property
    types = list(node.get("@type") or [])
    if len(items) < spec["min_items"]:
        run.add(entry, types, where, syntax, "warning", "too-few-items", spec["property"], min=spec["min_items"],
                count=len(items))
    positions = [_number(item.get("position")) if isinstance(item, dict) else None for item in items]
    # the last crumb (highest position) needs no URL; without numeric positions no crumb is known to be last
    last = max(range(len(items)), key=lambda i: positions[i]) if None not in positions else None
    item_entry = {**entry, "types": [spec["item_type"]]}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        item_types = list(item.get("@type") or [spec["item_type"]])
        item_where = f"{where} > {spec['property']}[{index}]"
        item_syntax = item.get("@syntax") or syntax
        run.require(item_entry, item, item_types, item_where, item_syntax, spec["item_required"], "error")
        if not spec.get("url_required_except_last") or index == last:
            continue
        target = next(iter(_values(item, "item")), None)
        if target is None:
            run.add(item_entry, item_types, item_where, item_syntax, "error", "missing-required", "item",
                    alternatives="item")
        elif not _is_url(target):
            shown = target if isinstance(target, str) else str(target.get("@id") or "")
            run.add(item_entry, item_types, item_where, item_syntax, "error", "invalid-value", "item",
                    value=shown[:80])


def _label(node: dict, path: str) -> str:
    return node.get("@id") or path


def _deprecated(root: etree._Element | None, data: StructuredData) -> list[dict]:
    """Markup in a vocabulary Google no longer reads: one finding per vocabulary, syntax and type. The tree is
    read when given, since the schema.org extraction drops RDFa and JSON-LD in another vocabulary."""
    findings = []
    for vocabulary in rules()["deprecated_vocabularies"]:
        host = vocabulary["host"]
        found: dict[tuple[str, str], int] = {}
        for syntax, type_iri in _deprecated_items(root, data, host):
            key = (syntax, type_iri.strip().rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
            found[key] = found.get(key, 0) + 1
        for (syntax, type_name), number in sorted(found.items()):
            params = {"type": type_name or "?", "property": "", "vocabulary": host, "count": number,
                      "since": vocabulary["since"], "replacement": vocabulary["replacement"]}
            findings.append({"feature": "breadcrumb" if type_name.lower() == "breadcrumb" else "deprecated-vocabulary",
                             "type": type_name or None, "property": None, "severity": "error",
                             "code": "deprecated-vocabulary", "params": params, "node": f"{host} ({syntax})",
                             "syntax": syntax, "doc": vocabulary["doc"]})
    return findings


def _deprecated_items(root: etree._Element | None, data: StructuredData, host: str) -> list[tuple[str, str]]:
    """(syntax, type IRI) of each item written in the vocabulary of `host`."""
    if root is None:
        return [(node.get("@syntax") or "", t) for node in data.iter_nodes() for t in node.get("@type") or ()
                if host in t.lower()]

    def names(value: str) -> bool:
        return host in value.translate(_ASCII_LOWER)

    # the attributes' values straight from XPath (`//@name` walks attributes in C), lower-cased here: a
    # translate() in an XPath predicate ran on every element of the page
    items = [("microdata", str(value)) for value in root.xpath("//@itemtype") if names(value)]
    if any(names(value) for value in root.xpath("//@vocab | //@prefix | //@typeof")):
        items += [("rdfa", type_iri) for type_iri in _rdfa_types_in(root, host)]
    items += [("json-ld", "") for script in root.iter("script")
              if (script.get("type") or "").strip().lower() == "application/ld+json"
              and host in (script.text or "").lower()]
    return items


def _rdfa_types_in(root: etree._Element, host: str) -> list[str]:
    """The typeof of each RDFa item whose type is in the vocabulary of `host` (by a vocab in scope, a prefix
    declared in scope, or a full IRI): one walk down the tree, carrying what is in scope."""
    found: list[str] = []
    stack: list[tuple[etree._Element, bool, tuple[str, ...]]] = [(root, False, ())]
    while stack:
        el, in_vocab, prefixes = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if el.get("vocab") is not None:
            in_vocab = host in el.get("vocab").lower()
        if el.get("prefix"):
            parts = el.get("prefix").split()
            prefixes = prefixes + tuple(p.rstrip(":") + ":" for p, iri in zip(parts[::2], parts[1::2], strict=False)
                                        if host in iri.lower())
        for type_iri in (el.get("typeof") or "").split()[:1]:
            if host in type_iri.lower() or (bool(prefixes) and type_iri.startswith(prefixes)) or (
                    in_vocab and ":" not in type_iri):
                found.append(type_iri)
        stack.extend((child, in_vocab, prefixes) for child in reversed(el))
    return found


def rich_results(data: StructuredData, root: etree._Element | None = None) -> dict[str, Any]:
    """Findings against Google's rich-result requirements for every node of `data`; `root` (the parsed page)
    lets data-vocabulary.org be found in RDFa and JSON-LD too, which the schema.org extraction drops."""
    table = rules()
    run = _Run(table["limits"]["findings"])
    referenced: set[int] = set()
    page_links = set(table["page_links"])
    for node in data.iter_nodes():
        for key, value in node.items():
            if not key.startswith("@") and key not in page_links:
                referenced.update(id(v) for v in (value if isinstance(value, list) else [value])
                                  if isinstance(v, dict))
    notices: dict[tuple[str, str], dict] = {}
    features: dict[str, None] = {}
    judged = 0
    seen: set[int] = set()
    stack: list[tuple[dict, str]] = [(n, "/".join(n.get("@type") or ["?"])) for n in reversed(data.nodes)]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        types = tuple(node.get("@type") or ())
        is_root = id(node) not in referenced
        for entry in table["features"]:
            if not any(_matches(t, tuple(entry["types"]), entry.get("subtypes", False)) for t in types):
                continue
            if entry["scope"] == "root" and not is_root or entry["scope"] == "nested" and is_root:
                continue
            judged += 1
            _judge(run, entry, node, _label(node, path), is_root)
            if entry.get("retired"):
                notices.setdefault((entry["feature"], types[0]), {
                    "feature": entry["feature"], "type": types[0], "code": "no-rich-result",
                    "params": {"type": types[0], "since": entry["retired"]}, "doc": entry["doc"]})
            else:
                features[entry["feature"]] = None
        for type_name in types:
            if type_name in table["no_rich_result"]:
                notices.setdefault(("", type_name), {
                    "feature": None, "type": type_name, "code": "no-rich-result-type",
                    "params": {"type": type_name}, "doc": table["no_rich_result"][type_name]})
        children = []
        for key, value in node.items():
            if key.startswith("@"):
                continue
            values = value if isinstance(value, list) else [value]
            for index, child in enumerate(values):
                if isinstance(child, dict):
                    suffix = f"[{index}]" if isinstance(value, list) else ""
                    children.append((child, f"{path} > {key}{suffix}"))
        stack.extend(reversed(children))
    findings = _deprecated(root, data) + run.findings
    for finding in findings:
        finding["message"] = finding_message(finding, "en")
    notice_list = list(notices.values())
    for notice in notice_list:
        notice["message"] = finding_message(notice, "en")
    return {"findings": findings, "notices": notice_list, "features": list(features), "judged": judged,
            "errors": sum(f["severity"] == "error" for f in findings),
            "warnings": sum(f["severity"] == "warning" for f in findings), "dropped": run.dropped}


def finding_message(finding: dict, lang: str) -> str:
    """A finding or notice as a sentence in `lang` (scoring/messages/<lang>.json, section rich_results)."""
    from ..i18n import engine_message  # the i18n module reads the check registry, which imports the facts

    return engine_message("rich_results", finding["code"], finding["params"], lang)
