"""JSON-LD: blocks parsed, broken ones repaired where that is safe (HTML comments, CDATA, JavaScript comments,
trailing commas, junk, control characters, concatenated objects) and always reported; terms read through @context."""

from __future__ import annotations

import json
import re
from typing import Any

from scoring.limits import MAX_JSONLD_BLOCKS, MAX_JSONLD_DEPTH
from scoring.markup.graph import Budget, StructuredData, join_url, short_name

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
# What a JSON-LD block can hold outside its strings that is not JSON: a string (kept as it is, even when
# it holds "//" or "<!--"), a // or /* */ comment, an HTML comment marker. Every alternative is bounded
# by its own delimiters (an unclosed string or /* runs to the end), so one scan is linear.
_JSON_NOISE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?|<!--|-->', re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


Repairs = dict[str, dict[str, Any]]  # repair code -> its parameters ("concatenated": {"objects": 3})


def parse_jsonld_text(text: str) -> tuple[Any, Repairs]:
    """Parse one JSON-LD block, repairing common damage. Returns (value or None, the repairs made, by code:
    the codes are worded per language in scoring/messages, section "jsonld_repairs")."""
    try:
        return json.loads(text), {}
    except ValueError:
        pass
    repairs: Repairs = {}
    fixed = text
    new = _CDATA.sub("", fixed)
    if new != fixed:
        repairs["cdata"] = {}
        fixed = new
    fixed, removed = _strip_comments(fixed)
    repairs.update((code, {}) for code in removed)
    new = _CONTROL.sub(" ", fixed)
    if new != fixed:
        repairs["control-characters"] = {}
        fixed = new
    # raw newlines and tabs inside strings are invalid JSON but common
    if repairs:
        try:
            return json.loads(fixed), repairs
        except ValueError:
            pass
    try:
        return json.loads(fixed, strict=False), {**repairs, "raw-control-characters": {}}
    except ValueError:
        pass
    new = _TRAILING_COMMA.sub(r"\1", fixed)
    if new != fixed:
        repairs["trailing-commas"] = {}
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
        repairs["trailing-text"] = {"trailing": stripped[pos:pos + 30]}
    elif stripped.rstrip().endswith(";"):
        repairs["trailing-semicolon"] = {}
    if len(values) > 1:
        repairs["concatenated"] = {"objects": len(values)}
        return values, repairs
    return values[0], repairs


def _strip_comments(text: str) -> tuple[str, list[str]]:
    """The text without the comments around or between its JSON values: `// ...` to the end of the line,
    `/* ... */`, and HTML comments: a `<!-- ... -->` closed on its own line goes whole, a marker left open
    (`<!--` before the JSON, `-->` after it) goes alone. Strings are never touched. Returns the text and
    the codes of what was removed ("html-comments", "js-comments")."""
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
        removed["html-comments" if token in ("<!--", "-->") else "js-comments"] = None
    if not removed:
        return text, []
    kept.append(text[pos:])
    return "".join(kept), list(removed)


def read_jsonld_blocks(root, base_url, data: StructuredData, budget: Budget) -> list[dict]:
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
            data.errors.append(_error(line, "jsonld-empty", repaired=False))
            continue
        try:
            value, repairs = parse_jsonld_text(text)
        except RecursionError:  # json's parser recurses once per level, up to Python's recursion limit
            budget.limits.hit("jsonld-too-deep", 1, MAX_JSONLD_DEPTH)
            data.errors.append(_error(line, "jsonld-too-deep", repaired=False))
            continue
        if value is None:
            data.errors.append(_error(line, "jsonld-unrepairable", repaired=False))
            continue
        if repairs:
            params = {"repairs": list(repairs)}
            for detail in repairs.values():
                params.update(detail)
            data.errors.append(_error(line, "jsonld-repaired", repaired=True, **params))
        nodes.extend(block_nodes(value, base_url, budget))
    if data.jsonld_blocks > MAX_JSONLD_BLOCKS:
        budget.limits.hit("jsonld-blocks", data.jsonld_blocks, MAX_JSONLD_BLOCKS)
    return nodes


def block_nodes(value: Any, base_url: str | None, budget: Budget) -> list[dict]:
    """The nodes of one parsed JSON-LD block (an object, or a list of them)."""
    nodes: list[dict] = []
    for item in budget.values(value) if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            nodes.extend(_jsonld_top(item, base_url, {}, budget))
    return nodes


def _error(line: int | None, key: str, repaired: bool, **params: Any) -> dict:
    """A JSON-LD syntax finding: its sentence is the English one of scoring/messages (section "validate"),
    rendered per language from ``message_key`` and ``params`` like every validator finding."""
    from scoring.i18n import engine_message  # i18n reads the check registry, which imports the markup

    return {"syntax": "json-ld", "line": line, "message": engine_message("validate", key, params, "en"),
            "repaired": repaired, "severity": "error", "code": "jsonld-syntax", "message_key": key,
            "params": params}


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


def is_schema_iri(value: str) -> bool:
    return "schema.org" in value


def _jsonld_term(term: str, ctx: dict) -> str:
    if ":" in term and not term.startswith("http"):
        prefix, _, rest = term.partition(":")
        target = ctx.get(prefix)
        if target and is_schema_iri(target):
            return rest
    return short_name(term)


def _jsonld_top(obj: dict, base_url, ctx: dict, budget: Budget, depth: int = 1) -> list[dict]:
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


def _jsonld_node(obj: dict, base_url, ctx: dict, budget: Budget, depth: int) -> dict | None:
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
        node["@id"] = join_url(base_url, obj["@id"])
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


def _jsonld_value(value: Any, base_url, ctx: dict, budget: Budget, depth: int) -> Any:
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
