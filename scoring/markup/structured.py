"""schema.org structured data from JSON-LD, microdata and RDFa, merged into one graph.

Node format (what the validator, checks and fixer read): a dict with
`@type` (list of short type names), optional `@id`, `@syntax`, and short
schema.org property names mapping to one value or a list. A value is a
scalar or a nested node; references by `@id` are resolved to the same
node object, so walk with a visited set.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from lxml import etree

from scoring.limits import MAX_GRAPH_NODES, MAX_JSONLD_DEPTH, MAX_PROPERTY_VALUES
from scoring.markup.graph import (
    Budget,
    StructuredData,
    index_nested,
    join_url,
    register_node,
    resolve_node,
    short_name,
    type_name,
)
from scoring.markup.jsonld import block_nodes, is_schema_iri, read_jsonld_blocks
from scoring.page.index import has_attribute, text_of


def extract_structured(root: etree._Element, base_url: str | None = None) -> StructuredData:
    """JSON-LD, microdata and RDFa merged into one graph."""
    data = StructuredData()
    budget = Budget(data.limits)
    jsonld_nodes = read_jsonld_blocks(root, base_url, data, budget)
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
    _merge(data, jsonld_nodes + micro_nodes + rdfa_nodes)
    return data


def structured_from_jsonld(value: Any, base_url: str | None = None) -> StructuredData:
    """A JSON-LD value held in memory (the fix's graph) read as the only block of a page: the graph
    ``extract_structured`` gives for that page, without writing the value out and parsing it back."""
    data = StructuredData(jsonld_blocks=1)
    nodes = block_nodes(value, base_url, Budget(data.limits))
    if nodes:
        data.syntaxes.append("json-ld")
    _merge(data, nodes)
    return data


def _merge(data: StructuredData, nodes: list[dict]) -> None:
    """The nodes of every syntax as one graph: nodes sharing an @id merged, references resolved to their node."""
    index: dict[str, dict] = {}
    top: list[dict] = []
    for node in nodes:
        merged = register_node(node, index)
        if merged is node:
            top.append(node)
    for node in list(index.values()):
        index_nested(node, index)
    resolved: set[int] = set()  # one set for all: a node reached again is already resolved
    # a node referenced from another one is not a page-level entity of its own
    data.nodes = [resolve_node(n, index, resolved) for n in top]


# ---------------------------------------------------------------- microdata

_EXCESS_ITEMS = etree.XPath("(//*[@itemscope])[position() > $n]")
_DEEP_ITEMS = etree.XPath("//*[@itemscope][count(ancestor::*[@itemscope]) >= $depth]")


@cache
def _microdata_extractor():
    from extruct.w3cmicrodata import MicrodataExtractor  # imported on the first page with microdata only

    return MicrodataExtractor(nested=True)


def _microdata(root, base_url, data: StructuredData, budget: Budget) -> list[dict]:
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
        items = _microdata_extractor().extract_items(root, base_url or "")
    except Exception as exc:  # extruct raises on odd markup; one syntax must not sink the others
        from scoring.i18n import engine_message  # i18n reads the check registry, which imports the markup

        unreadable = engine_message("validate", "microdata-unreadable", {}, "en")
        data.errors.append({"syntax": "microdata", "line": None, "message": unreadable,
                            "repaired": False, "severity": "error", "code": "microdata-syntax",
                            "message_key": "microdata-unreadable", "params": {}, "detail": str(exc)[:200]})
        return []
    nodes = (_micro_node(item, budget, 1) for item in items if isinstance(item, dict))
    return [node for node in nodes if node is not None]


def _micro_node(item: dict, budget: Budget, depth: int) -> dict | None:
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


RDFA_PREFIXES = {"schema": "http://schema.org/"}  # in scope everywhere, as in RDFa's initial context


def rdfa_value(el: etree._Element, base_url: str | None) -> Any:
    """The literal an RDFa property element states: content, datetime, a resource or link, else its text."""
    for attr in ("content", "datetime"):
        if el.get(attr) is not None:
            return el.get(attr).strip()
    for attr in ("resource", "href", "src"):
        if el.get(attr):
            return join_url(base_url, el.get(attr))
    return " ".join(text_of(el).split())


def rdfa_term(name: str, vocab: str | None, prefixes: dict) -> str | None:
    """The schema.org term an RDFa property or typeof token names ("schema:name", a full IRI, or a bare name
    under a schema.org vocab), else None."""
    if ":" in name:
        prefix, _, rest = name.partition(":")
        iri = prefixes.get(prefix, name if prefix in ("http", "https") else "")
        if prefix in ("http", "https"):
            return short_name(name) if is_schema_iri(name) else None
        return rest if is_schema_iri(iri) else None
    return name if vocab and is_schema_iri(vocab) else None


def rdfa_scope(el: etree._Element, vocab: str | None, prefixes: dict) -> tuple[str | None, dict]:
    """The vocab and prefixes in scope inside ``el``, given those in scope around it."""
    if el.get("vocab") is not None:
        vocab = el.get("vocab")
    if el.get("prefix"):
        parts = el.get("prefix").split()
        prefixes = dict(prefixes)
        for p, iri in zip(parts[::2], parts[1::2], strict=False):
            prefixes[p.rstrip(":")] = iri
    return vocab, prefixes


def _rdfa(root, base_url, budget: Budget) -> list[dict]:
    """schema.org RDFa Lite (vocab, typeof, property, resource, prefix) read straight from the tree."""
    top: list[dict] = []
    value_of = partial(rdfa_value, base_url=base_url)
    term = rdfa_term

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
        vocab, prefixes = rdfa_scope(el, vocab, prefixes)
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
                    child["@id"] = join_url(base_url, ident)
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

    walk(root, None, None, RDFA_PREFIXES, 1)
    return top
