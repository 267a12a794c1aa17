"""schema.org structured data from JSON-LD, microdata and RDFa, merged into one graph.

Node format (what the validator, checks and fixer read): a dict with
`@type` (list of short type names), optional `@id`, `@syntax`, and short
schema.org property names mapping to one value or a list. A value is a
scalar or a nested node; references by `@id` are resolved to the same
node object, so walk with a visited set.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from . import vocab as schema_vocab
from .limits import MAX_GRAPH_NODES, MAX_JSONLD_BLOCKS, MAX_JSONLD_DEPTH, MAX_PROPERTY_VALUES, Limits
from .page import has_attribute, text_of

SCHEMA_PREFIXES = ("https://schema.org/", "http://schema.org/", "https://www.schema.org/",
                   "http://www.schema.org/", "schema:", "sdo:")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
# What a JSON-LD block can hold outside its strings that is not JSON: a string (kept as it is, even when
# it holds "//" or "<!--"), a // or /* */ comment, an HTML comment marker. Every alternative is bounded
# by its own delimiters (an unclosed string or /* runs to the end), so one scan is linear.
_JSON_NOISE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?|<!--|-->', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


@dataclass
class StructuredData:
    nodes: list[dict] = field(default_factory=list)
    syntaxes: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    jsonld_blocks: int = 0
    limits: Limits = field(default_factory=Limits)

    def iter_nodes(self):
        """Every node reachable from the top-level ones, each once."""
        seen: set[int] = set()
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            yield node
            for key, value in node.items():
                if key.startswith("@"):
                    continue
                for item in value if isinstance(value, list) else (value,):
                    if isinstance(item, dict):
                        stack.append(item)

    @property
    def types(self) -> list[str]:
        found: dict[str, None] = {}
        for node in self.iter_nodes():
            for t in node.get("@type", ()):
                found[t] = None
        return sorted(found)

    def of_type(self, *names: str) -> list[dict]:
        wanted = set(names)
        return [n for n in self.iter_nodes() if wanted.intersection(n.get("@type", ()))]


def short_name(term: str) -> str:
    for prefix in SCHEMA_PREFIXES:
        if term.startswith(prefix):
            return term[len(prefix):]
    return term


@cache
def _type_spellings() -> dict[str, str]:
    """Every schema.org type (and enumeration member) name, lower-cased, with its own spelling."""
    return {name.lower(): name for name in schema_vocab.terms() if name[:1].isupper()}


def type_name(term: str) -> str:
    """The short schema.org name of a type IRI written in an HTML attribute (microdata `itemtype`, RDFa
    `typeof`), read as a browser reads a URL: the scheme and host in any case, and a type name that differs
    from schema.org's only in case (`http://Schema.org/person`) taken as that type."""
    low = term.lower()
    for prefix in SCHEMA_PREFIXES:
        if low.startswith(prefix):
            term = term[len(prefix):]
            break
    if schema_vocab.is_type(term):
        return term
    return _type_spellings().get(term.lower(), term)


def extract_structured(root: etree._Element, base_url: str | None = None) -> StructuredData:
    """JSON-LD, microdata and RDFa merged into one graph."""
    data = StructuredData()
    index: dict[str, dict] = {}
    budget = _Budget(data.limits)
    jsonld_nodes = _jsonld(root, base_url, data, budget)
    if jsonld_nodes:
        data.syntaxes.append("json-ld")
    micro_nodes = _microdata(root, base_url, data, budget) if has_attribute(root, "itemscope") else []
    if micro_nodes:
        data.syntaxes.append("microdata")
    # RDFa beyond Open Graph needs a typeof or a vocab attribute (og: meta tags carry neither)
    rdfa_nodes = (_rdfa(root, base_url, budget) if has_attribute(root, "typeof") or has_attribute(root, "vocab")
                  else [])
    if rdfa_nodes:
        data.syntaxes.append("rdfa")
    top: list[dict] = []
    for node in jsonld_nodes + micro_nodes + rdfa_nodes:
        merged = _register(node, index)
        if merged is node:
            top.append(node)
    for node in list(index.values()):
        _index_nested(node, index)
    resolved: set[int] = set()  # one set for all: a node reached again is already resolved
    data.nodes = [_resolve(n, index, resolved) for n in top]
    # a node referenced from another one is not a page-level entity of its own
    return data


class _Budget:
    """What the page's structured data may still cost: nodes read across syntaxes (MAX_GRAPH_NODES), with the
    caps that bite recorded in `limits`."""

    __slots__ = ("limits", "nodes")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.nodes = 0

    def take_node(self) -> bool:
        """False once MAX_GRAPH_NODES nodes were read: the node is dropped."""
        self.nodes += 1
        if self.nodes > MAX_GRAPH_NODES:
            self.limits.hit("graph-nodes", self.nodes, MAX_GRAPH_NODES)
            return False
        return True

    def too_deep(self, depth: int, code: str = "jsonld-depth") -> bool:
        if depth > MAX_JSONLD_DEPTH:
            self.limits.hit(code, depth, MAX_JSONLD_DEPTH)
            return True
        return False

    def values(self, values: list) -> list:
        """The first MAX_PROPERTY_VALUES values of one property."""
        if len(values) > MAX_PROPERTY_VALUES:
            self.limits.hit("property-values", len(values), MAX_PROPERTY_VALUES)
            return values[:MAX_PROPERTY_VALUES]
        return values


# ---------------------------------------------------------------- JSON-LD

def parse_jsonld_text(text: str) -> tuple[Any, list[str]]:
    """Parse one JSON-LD block, repairing common damage. Returns (value or None, repairs made)."""
    try:
        return json.loads(text), []
    except ValueError:
        pass
    repairs: list[str] = []
    fixed = text
    new = _CDATA.sub("", fixed)
    if new != fixed:
        repairs.append("removed CDATA wrapper")
        fixed = new
    fixed, removed = _strip_comments(fixed)
    repairs.extend(f"removed {label}" for label in removed)
    new = _CONTROL.sub(" ", fixed)
    if new != fixed:
        repairs.append("removed control characters")
        fixed = new
    # raw newlines and tabs inside strings are invalid JSON but common
    if repairs:
        try:
            return json.loads(fixed), repairs
        except ValueError:
            pass
    try:
        return json.loads(fixed, strict=False), repairs + ["accepted raw control characters in strings"]
    except ValueError:
        pass
    new = _TRAILING_COMMA.sub(r"\1", fixed)
    if new != fixed:
        repairs.append("removed trailing commas")
        fixed = new
    decoder = json.JSONDecoder(strict=False)
    stripped = fixed.strip()
    values = []
    pos = 0
    while pos < len(stripped):
        try:
            value, end = decoder.raw_decode(stripped, pos)
        except ValueError:
            break
        values.append(value)
        pos = end
        while pos < len(stripped) and stripped[pos] in " \t\r\n;,":
            pos += 1
    if not values:
        return None, repairs
    if pos < len(stripped):
        repairs.append(f"ignored trailing text {stripped[pos:pos + 30]!r}")
    elif stripped.rstrip().endswith(";"):
        repairs.append("removed trailing semicolon")
    if len(values) > 1:
        repairs.append(f"split {len(values)} concatenated objects")
        return values, repairs
    return values[0], repairs


def _strip_comments(text: str) -> tuple[str, list[str]]:
    """The text without the comments around or between its JSON values: `// ...` to the end of the line,
    `/* ... */`, and HTML comments: a `<!-- ... -->` closed on its own line goes whole, a marker left open
    (`<!--` before the JSON, `-->` after it) goes alone. Strings are never touched. Returns the text and
    what was removed ("HTML comment markers", "JavaScript comment")."""
    if "/" not in text and "<!--" not in text and "-->" not in text:
        return text, []
    kept: list[str] = []
    removed: dict[str, None] = {}
    pos = 0
    newline = close = -1  # cursors that only move forward: finding them costs one pass in all
    scan = 0
    while (match := _JSON_NOISE.search(text, scan)) is not None:
        start, token = match.start(), match.group()
        scan = match.end()
        if token[0] == '"':
            continue  # a string: kept as it is
        if token == "<!--":
            if close < start:
                close = text.find("-->", start)
                close = len(text) if close < 0 else close
            if newline < start:
                newline = text.find("\n", start)
                newline = len(text) if newline < 0 else newline
            end = close + 3 if close < newline else match.end()
        else:
            end = match.end()
        kept.append(text[pos:start])
        pos = scan = end
        removed["HTML comment markers" if token in ("<!--", "-->") else "JavaScript comment"] = None
    if not removed:
        return text, []
    kept.append(text[pos:])
    return "".join(kept), list(removed)


def _jsonld(root, base_url, data: StructuredData, budget: _Budget) -> list[dict]:
    nodes: list[dict] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind != "application/ld+json":
            continue
        data.jsonld_blocks += 1
        if data.jsonld_blocks > MAX_JSONLD_BLOCKS:
            continue  # counted, not read
        text = script.text or ""
        line = script.sourceline
        if not text.strip():
            data.errors.append(_error("json-ld", line, "empty JSON-LD block", repaired=False))
            continue
        try:
            value, repairs = parse_jsonld_text(text)
        except RecursionError:  # json's parser recurses once per level, up to Python's recursion limit
            budget.limits.hit("jsonld-too-deep", 1, MAX_JSONLD_DEPTH)
            data.errors.append(_error("json-ld", line, "JSON-LD block nests values too deep to be read; its content "
                                      "is ignored", repaired=False))
            continue
        if value is None:
            data.errors.append(_error("json-ld", line, "JSON-LD block is not valid JSON and could not be "
                                      "repaired; its content is ignored", repaired=False))
            continue
        if repairs:
            data.errors.append(_error("json-ld", line, "JSON-LD block is not valid JSON: "
                                      + "; ".join(repairs), repaired=True))
        for item in budget.values(value) if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                nodes.extend(_jsonld_top(item, base_url, {}, budget))
    if data.jsonld_blocks > MAX_JSONLD_BLOCKS:
        budget.limits.hit("jsonld-blocks", data.jsonld_blocks, MAX_JSONLD_BLOCKS)
    return nodes


def _error(syntax: str, line: int | None, message: str, repaired: bool) -> dict:
    return {"syntax": syntax, "line": line, "message": message, "repaired": repaired, "severity": "error",
            "code": "jsonld-syntax"}


def _context_vocab(ctx: Any, inherited: dict) -> dict:
    """Track @vocab and prefixes so "schema:name" and full IRIs map to short names."""
    out = dict(inherited)
    for item in ctx if isinstance(ctx, list) else [ctx]:
        if isinstance(item, str):
            out["@vocab"] = item
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(value, str):
                    out[key] = value
    return out


def _is_schema_iri(value: str) -> bool:
    return "schema.org" in value


def _jsonld_term(term: str, ctx: dict) -> str:
    if ":" in term and not term.startswith("http"):
        prefix, _, rest = term.partition(":")
        target = ctx.get(prefix)
        if target and _is_schema_iri(target):
            return rest
    return short_name(term)


def _jsonld_top(obj: dict, base_url, ctx: dict, budget: _Budget, depth: int = 1) -> list[dict]:
    if budget.too_deep(depth):
        return []
    if "@context" in obj:
        ctx = _context_vocab(obj["@context"], ctx)
    graph = obj.get("@graph")
    if isinstance(graph, (list, dict)):
        out = []
        for item in budget.values(graph) if isinstance(graph, list) else [graph]:
            if isinstance(item, dict):
                out.extend(_jsonld_top(item, base_url, ctx, budget, depth + 1))
        rest = {k: v for k, v in obj.items() if k not in ("@graph", "@context")}
        if any(not k.startswith("@") for k in rest) or "@type" in rest:
            node = _jsonld_node(rest, base_url, ctx, budget, depth)
            if node is not None:
                out.append(node)
        return out
    node = _jsonld_node(obj, base_url, ctx, budget, depth)
    return [] if node is None else [node]


def _jsonld_node(obj: dict, base_url, ctx: dict, budget: _Budget, depth: int) -> dict | None:
    """One node, its nested values `depth` levels down from the block's top (None once over a cap)."""
    if budget.too_deep(depth) or not budget.take_node():
        return None
    if "@context" in obj:
        ctx = _context_vocab(obj["@context"], ctx)
    raw_types = obj.get("@type", [])
    types = [_jsonld_term(t, ctx) for t in (raw_types if isinstance(raw_types, list) else [raw_types])
             if isinstance(t, str)]
    node: dict = {"@type": types, "@syntax": "json-ld"}
    if isinstance(obj.get("@id"), str):
        node["@id"] = urljoin(base_url, obj["@id"]) if base_url else obj["@id"]
    for key, value in obj.items():
        if key.startswith("@"):
            continue
        name = _jsonld_term(key, ctx)
        converted = [_jsonld_value(v, base_url, ctx, budget, depth + 1)
                     for v in (budget.values(value) if isinstance(value, list) else [value])]
        converted = [v for v in converted if v is not None]
        if converted:
            node[name] = converted[0] if len(converted) == 1 and not isinstance(value, list) else converted
    return node


def _jsonld_value(value: Any, base_url, ctx: dict, budget: _Budget, depth: int) -> Any:
    if isinstance(value, (dict, list)) and budget.too_deep(depth):
        return None
    if isinstance(value, list):  # a list in a list: its items, converted as any value
        return [_jsonld_value(v, base_url, ctx, budget, depth + 1) for v in budget.values(value)]
    if isinstance(value, dict):
        if "@value" in value:
            return _jsonld_value(value["@value"], base_url, ctx, budget, depth + 1)
        if "@list" in value and isinstance(value["@list"], list):
            return [_jsonld_value(v, base_url, ctx, budget, depth + 1) for v in budget.values(value["@list"])]
        return _jsonld_node(value, base_url, ctx, budget, depth)
    return value


# ---------------------------------------------------------------- microdata

_MICRODATA = None
_EXCESS_ITEMS = etree.XPath("(//*[@itemscope])[position() > $n]")
_DEEP_ITEMS = etree.XPath("//*[@itemscope][count(ancestor::*[@itemscope]) >= $depth]")


def _microdata(root, base_url, data: StructuredData, budget: _Budget) -> list[dict]:
    global _MICRODATA
    if _MICRODATA is None:
        from extruct.w3cmicrodata import MicrodataExtractor
        _MICRODATA = MicrodataExtractor(nested=True)
    # extruct reads every item before our caps apply, and its cost grows with the square of the nesting depth:
    # items past the node cap or nested too deep stop being items
    excess = _EXCESS_ITEMS(root, n=MAX_GRAPH_NODES)
    if excess:
        budget.limits.hit("graph-nodes", MAX_GRAPH_NODES + len(excess), MAX_GRAPH_NODES)
    deep = _DEEP_ITEMS(root, depth=MAX_JSONLD_DEPTH)
    if deep:
        budget.too_deep(MAX_JSONLD_DEPTH + 1, "microdata-depth")
    for el in (*excess, *deep):
        el.attrib.pop("itemscope", None)
    try:
        items = _MICRODATA.extract_items(root, base_url or "")
    except Exception as exc:  # extruct raises on odd markup; one syntax must not sink the others
        data.errors.append({"syntax": "microdata", "line": None, "message": f"microdata not readable: {exc}",
                            "repaired": False, "severity": "error", "code": "microdata-syntax"})
        return []
    nodes = (_micro_node(item, budget, 1) for item in items if isinstance(item, dict))
    return [node for node in nodes if node is not None]


def _micro_node(item: dict, budget: _Budget, depth: int) -> dict | None:
    if budget.too_deep(depth) or not budget.take_node():
        return None
    raw = item.get("type", [])
    node: dict = {"@type": [type_name(t) for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)],
                  "@syntax": "microdata"}
    if item.get("id"):
        node["@id"] = item["id"]
    for key, value in (item.get("properties") or {}).items():
        name = short_name(key)
        values = budget.values(value) if isinstance(value, list) else [value]
        converted = [_micro_node(v, budget, depth + 1) if isinstance(v, dict) and "type" in v else
                     (v.get("value") if isinstance(v, dict) else v) for v in values]
        converted = [v for v in converted if v not in (None, "")]
        if converted:
            node[name] = converted[0] if len(converted) == 1 else converted
    return node


# ---------------------------------------------------------------- RDFa Lite



def _rdfa(root, base_url, budget: _Budget) -> list[dict]:
    """schema.org RDFa Lite (vocab, typeof, property, resource, prefix) read straight from the tree."""
    top: list[dict] = []

    def value_of(el) -> Any:
        for attr in ("content", "datetime"):
            if el.get(attr) is not None:
                return el.get(attr).strip()
        for attr in ("resource", "href", "src"):
            if el.get(attr):
                return urljoin(base_url, el.get(attr)) if base_url else el.get(attr)
        return " ".join(text_of(el).split())

    def term(name: str, vocab: str | None, prefixes: dict) -> str | None:
        if ":" in name:
            prefix, _, rest = name.partition(":")
            iri = prefixes.get(prefix, name if prefix in ("http", "https") else "")
            if prefix in ("http", "https"):
                return short_name(name) if _is_schema_iri(name) else None
            return rest if _is_schema_iri(iri) else None
        return name if vocab and _is_schema_iri(vocab) else None

    def add(node: dict, prop: str, value: Any) -> None:
        if prop not in node:
            node[prop] = value
            return
        current = node[prop]
        if not isinstance(current, list):
            current = node[prop] = [current]
        if len(current) < MAX_PROPERTY_VALUES:
            current.append(value)
        else:
            budget.limits.hit("property-values", MAX_PROPERTY_VALUES + 1, MAX_PROPERTY_VALUES)

    def walk(el, node: dict | None, vocab: str | None, prefixes: dict, depth: int) -> None:
        if not isinstance(el.tag, str):
            return
        if el.get("vocab") is not None:
            vocab = el.get("vocab")
        if el.get("prefix"):
            parts = el.get("prefix").split()
            prefixes = dict(prefixes)
            for p, iri in zip(parts[::2], parts[1::2], strict=False):
                prefixes[p.rstrip(":")] = iri
        typeof = el.get("typeof")
        # RDFa 1.1 `rel` links a subject to a resource or a typed node, as property does in RDFa Lite
        names = (el.get("property") or "").split() + (
            (el.get("rel") or "").split() if typeof is not None else [])
        props = [t for t in (term(p, vocab, prefixes) for p in names) if t]
        if typeof is not None:
            types = [type_name(t) for t in (term(x, vocab, prefixes) for x in typeof.split()) if t]
            if types or props:
                if budget.too_deep(depth, "rdfa-depth") or not budget.take_node():
                    return  # over a cap: the whole subtree is dropped
                child: dict = {"@type": types, "@syntax": "rdfa"}
                ident = el.get("resource") or el.get("about")
                # RDFa 1.1: a typed property value with href or src names that resource (a breadcrumb's link)
                link = (el.get("href") or el.get("src") or "").strip() if props and node is not None else ""
                if not ident and link and not link.startswith("#"):
                    ident = link
                if ident:
                    child["@id"] = urljoin(base_url, ident) if base_url else ident
                if props and node is not None:
                    for prop in props:
                        add(node, prop, child)
                elif types:
                    top.append(child)
                for sub in el:
                    walk(sub, child, vocab, prefixes, depth + 1)
                return
        if props and node is not None:
            value = value_of(el)
            if value != "":
                for prop in props:
                    add(node, prop, value)
            if el.get("content") is None and not any(el.get(a) for a in ("resource", "href", "src")):
                return  # text value taken; nested property values would double count
        for sub in el:
            walk(sub, node, vocab, prefixes, depth)

    walk(root, None, None, {"schema": "http://schema.org/"}, 1)
    return top


# ---------------------------------------------------------------- merging

def _register(node: dict, index: dict[str, dict]) -> dict:
    ident = node.get("@id")
    if not ident:
        return node
    existing = index.get(ident)
    if existing is None:
        index[ident] = node
        return node
    _merge_into(existing, node)
    return existing


def _merge_into(target: dict, other: dict) -> None:
    for t in other.get("@type", []):
        if t not in target["@type"]:
            target["@type"].append(t)
    for key, value in other.items():
        if key.startswith("@"):
            continue
        if key not in target:
            target[key] = value
        elif value != target[key]:
            current = target[key] if isinstance(target[key], list) else [target[key]]
            for v in value if isinstance(value, list) else [value]:
                if v not in current:
                    current.append(v)
            target[key] = current


def _index_nested(node: dict, index: dict[str, dict]) -> None:
    for key, value in node.items():
        if key.startswith("@"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                ident = item.get("@id")
                if ident and ident not in index and len(item) > 3:
                    index[ident] = item
                _index_nested(item, index)


def _is_reference(value: dict) -> bool:
    return "@id" in value and not any(not k.startswith("@") for k in value) and not value.get("@type")


def _resolve(node: dict, index: dict[str, dict], seen: set[int]) -> dict:
    if id(node) in seen:
        return node
    seen.add(id(node))
    for key, value in list(node.items()):
        if key.startswith("@"):
            continue
        if isinstance(value, list):
            node[key] = [_resolve_value(v, index, seen) for v in value]
        else:
            node[key] = _resolve_value(value, index, seen)
    return node


def _resolve_value(value: Any, index, seen) -> Any:
    if not isinstance(value, dict):
        return value
    if _is_reference(value):
        target = index.get(value["@id"])
        if target is not None:
            return _resolve(target, index, seen)
        value.setdefault("@type", [])
        return value
    return _resolve(value, index, seen)


def export_nodes(nodes: list[dict]) -> list[dict]:
    """JSON-safe copy of the graph: a node met again (shared or cyclic) is written as {"@id": ...}."""
    emitted: set[int] = set()

    def copy(node: dict, path: set[int]) -> dict:
        key = id(node)
        if key in path or (key in emitted and node.get("@id")):
            return {"@id": node.get("@id"), "@type": node.get("@type", [])}
        emitted.add(key)
        path = path | {key}
        out: dict = {}
        for name, value in node.items():
            if isinstance(value, list):
                out[name] = [copy(v, path) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                out[name] = copy(value, path)
            else:
                out[name] = value
        return out

    return [copy(n, set()) for n in nodes]
