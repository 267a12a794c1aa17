"""The graph every syntax reads into: nodes with short schema.org names, the read budget, and the merge of
nodes sharing an @id with references resolved to the same node object."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urljoin

from scoring.limits import MAX_GRAPH_NODES, MAX_JSONLD_DEPTH, MAX_PROPERTY_VALUES, Limits
from scoring.markup import vocab as schema_vocab

SCHEMA_PREFIXES = ("https://schema.org/", "http://schema.org/", "https://www.schema.org/",
                   "http://www.schema.org/", "schema:", "sdo:")


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


class Budget:
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


def register_node(node: dict, index: dict[str, dict]) -> dict:
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


def index_nested(node: dict, index: dict[str, dict]) -> None:
    for key, value in node.items():
        if key.startswith("@"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                ident = item.get("@id")
                if ident and ident not in index and len(item) > 3:
                    index[ident] = item
                index_nested(item, index)


def _is_reference(value: dict) -> bool:
    return "@id" in value and not any(not k.startswith("@") for k in value) and not value.get("@type")


def resolve_node(node: dict, index: dict[str, dict], seen: set[int]) -> dict:
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
            return resolve_node(target, index, seen)
        value.setdefault("@type", [])
        return value
    return resolve_node(value, index, seen)


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


def join_url(base_url: str | None, ref: str) -> str:
    """`ref` resolved against `base_url`; kept as written when urllib cannot read either ("http://[::1"), so a
    broken address in the markup is reported, never an exception."""
    if not base_url:
        return ref
    try:
        return urljoin(base_url, ref)
    except ValueError:
        return ref
